package io.synclog.job;

import io.synclog.error.Errors;
import io.synclog.views.CompatViewsJob;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed command line: {@code <command> [--config FILE] [--older-than D] [--verbose]
 * [--key=value ...]}. Values may follow their key after '=' or as the next argument. {@code views}
 * also takes {@code --compat NAME} and {@code --compat-schema S}; {@code prune} takes {@code
 * --all-syncs}, a flag.
 */
public record CommandLine(
    String command,
    String configFile,
    String olderThan,
    String runs,
    String output,
    boolean verbose,
    Map<String, String> overrides,
    String compat,
    String compatSchema,
    boolean allSyncs) {

  public static final List<String> COMMANDS =
      List.of("record", "plan", "prune", "unlock", "report", "views", "demo", "help");

  public static CommandLine parse(String[] args) {
    if (args.length == 0) {
      return new CommandLine("help", null, null, null, null, false, Map.of(), null, null, false);
    }
    String command = args[0];
    if (command.equals("--help") || command.equals("-h")) {
      command = "help";
    }
    if (!COMMANDS.contains(command)) {
      throw Errors.badUsage(
          "Unknown command '"
              + command
              + "'; expected one of "
              + String.join(", ", COMMANDS)
              + ".");
    }
    String configFile = null;
    String olderThan = null;
    String runs = null;
    String output = null;
    boolean verbose = false;
    String compat = null;
    String compatSchema = null;
    boolean allSyncs = false;
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        return new CommandLine("help", null, null, null, null, false, Map.of(), null, null, false);
      }
      if (arg.equals("--verbose")) {
        verbose = true;
        continue;
      }
      if (arg.equals("--all-syncs")) {
        allSyncs = true;
        continue;
      }
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw Errors.badUsage("Unexpected argument '" + arg + "': options look like --key=value.");
      }
      String key;
      String value;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        key = arg.substring(2, eq);
        value = arg.substring(eq + 1);
      } else {
        key = arg.substring(2);
        if (i + 1 >= args.length) {
          throw Errors.badUsage("Option --" + key + " needs a value.");
        }
        value = args[++i];
      }
      switch (key) {
        case "config" -> configFile = value;
        case "older-than" -> olderThan = value;
        case "runs" -> runs = value;
        case "output" -> output = value;
        case "compat" -> compat = value;
        case "compat-schema" -> compatSchema = value;
        case "all-syncs" -> throw Errors.badUsage("--all-syncs is a flag: it takes no value.");
        default -> overrides.put(key, value);
      }
    }
    checkCompat(command, compat, compatSchema);
    if (allSyncs && !command.equals("prune")) {
      throw Errors.badUsage("--all-syncs is an option of prune, not of " + command + ".");
    }
    return new CommandLine(
        command,
        configFile,
        olderThan,
        runs,
        output,
        verbose,
        Map.copyOf(overrides),
        compat,
        compatSchema,
        allSyncs);
  }

  /** {@code --compat} belongs to views and names a known set of views. */
  private static void checkCompat(String command, String compat, String compatSchema) {
    if (compat == null) {
      if (compatSchema != null) {
        throw Errors.badUsage(
            "--compat-schema goes with --compat, for example: views --compat hightouch"
                + " --compat-schema "
                + compatSchema
                + ".");
      }
      return;
    }
    if (!command.equals("views")) {
      throw Errors.badUsage("--compat is an option of views, not of " + command + ".");
    }
    CompatViewsJob.checkName(compat);
  }
}
