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
 * --all-syncs}, a flag; {@code record} takes {@code --batch FILE}, {@code --parallel N} and the
 * flag {@code --fail-fast}.
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
    boolean allSyncs,
    String batch,
    boolean failFast,
    int parallel) {

  public static final List<String> COMMANDS =
      List.of("record", "plan", "prune", "unlock", "report", "views", "demo", "help");

  private static final CommandLine HELP =
      new CommandLine(
          "help", null, null, null, null, false, Map.of(), null, null, false, null, false, 1);

  public static CommandLine parse(String[] args) {
    if (args.length == 0) {
      return HELP;
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
    String batch = null;
    boolean failFast = false;
    String parallel = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        return HELP;
      }
      if (arg.equals("--verbose")) {
        verbose = true;
        continue;
      }
      if (arg.equals("--all-syncs")) {
        allSyncs = true;
        continue;
      }
      if (arg.equals("--fail-fast")) {
        failFast = true;
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
        case "batch" -> batch = value;
        case "parallel" -> parallel = value;
        case "all-syncs", "fail-fast" ->
            throw Errors.badUsage("--" + key + " is a flag: it takes no value.");
        default -> overrides.put(key, value);
      }
    }
    checkCompat(command, compat, compatSchema);
    if (allSyncs && !command.equals("prune")) {
      throw Errors.badUsage("--all-syncs is an option of prune, not of " + command + ".");
    }
    checkBatch(command, batch, failFast || parallel != null);
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
        allSyncs,
        batch,
        failFast,
        parallel == null ? 1 : parseParallel(parallel));
  }

  private static int parseParallel(String value) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1 && n <= 64) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw Errors.badUsage("--parallel takes a number of runs from 1 to 64, not '" + value + "'.");
  }

  /** {@code --batch} belongs to record; {@code --fail-fast} and {@code --parallel} to a batch. */
  private static void checkBatch(String command, String batch, boolean batchOption) {
    if (batch == null) {
      if (batchOption) {
        throw Errors.badUsage("--fail-fast and --parallel go with record --batch FILE.");
      }
      return;
    }
    if (!command.equals("record")) {
      throw Errors.badUsage("--batch is an option of record, not of " + command + ".");
    }
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
