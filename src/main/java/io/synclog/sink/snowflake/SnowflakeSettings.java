package io.synclog.sink.snowflake;

import io.synclog.config.ConfigKeys;
import io.synclog.config.Secret;
import io.synclog.config.TargetKeys;
import io.synclog.error.Errors;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a Snowflake account is and how to log in, validated completely at start-up, and the two
 * forms the rest of the sink needs: spark-snowflake options and Snowflake JDBC properties. Its
 * {@link #toString()} names the account, database and user only; the password, private key and
 * token never leave this class except into those two maps.
 *
 * <p>Authentication ({@code target.auth}):
 *
 * <ul>
 *   <li>{@code password} (default): {@code target.password};
 *   <li>{@code key-pair}: a PKCS#8 PEM key from {@code target.private-key-file} or {@code
 *       target.private-key}, encrypted ones with {@code target.private-key-passphrase}. The key is
 *       decrypted here once, so both the connector (which takes only an unencrypted key) and the
 *       JDBC driver get the same key;
 *   <li>{@code oauth}: an access token in {@code target.token}.
 * </ul>
 */
public final class SnowflakeSettings {
  public static final String PASSWORD = "password";
  public static final String KEY_PAIR = "key-pair";
  public static final String OAUTH = "oauth";

  private final String host;
  private final String user;
  private final String database;
  private final String schema;
  private final String warehouse;
  private final String role;
  private final String auth;
  private final String password;
  private final PrivateKey privateKey;
  private final String token;

  private SnowflakeSettings(
      String host,
      String user,
      String database,
      String schema,
      String warehouse,
      String role,
      String auth,
      String password,
      PrivateKey privateKey,
      String token) {
    this.host = host;
    this.user = user;
    this.database = database;
    this.schema = schema;
    this.warehouse = warehouse;
    this.role = role;
    this.auth = auth;
    this.password = password;
    this.privateKey = privateKey;
    this.token = token;
  }

  /** Reads and checks the target.* settings; throws one error listing every problem. */
  public static SnowflakeSettings from(TargetKeys config) {
    List<String> problems = new ArrayList<>();
    String url = required(config, ConfigKeys.TARGET_URL, problems);
    String user = required(config, ConfigKeys.TARGET_USER, problems);
    String database = required(config, ConfigKeys.TARGET_DATABASE, problems);
    String warehouse = required(config, ConfigKeys.TARGET_WAREHOUSE, problems);
    String role = config.optional(ConfigKeys.TARGET_ROLE).orElse(null);
    if (database != null && !SnowflakeNames.isPlain(database)) {
      problems.add(
          "'target.database' is '"
              + database
              + "'; use letters, digits and underscores, starting with a letter or underscore");
    }
    String auth = config.optional(ConfigKeys.TARGET_AUTH).orElse(PASSWORD);
    String password = reveal(config.secret(ConfigKeys.TARGET_PASSWORD));
    String token = reveal(config.secret(ConfigKeys.TARGET_TOKEN));
    Optional<String> keyFile = config.optional(ConfigKeys.TARGET_PRIVATE_KEY_FILE);
    String keyText = reveal(config.secret(ConfigKeys.TARGET_PRIVATE_KEY));
    boolean anyKey = keyFile.isPresent() || keyText != null;
    PrivateKey key = null;
    switch (auth) {
      case PASSWORD -> {
        need(password != null, "'target.password' is required with target.auth=password", problems);
        unused(anyKey, "target.private-key-file / target.private-key", auth, problems);
        unused(token != null, "target.token", auth, problems);
      }
      case KEY_PAIR -> {
        if (keyFile.isPresent() == (keyText != null)) {
          problems.add(
              "set exactly one of 'target.private-key-file' and 'target.private-key' with"
                  + " target.auth=key-pair");
        } else {
          String passphrase = reveal(config.secret(ConfigKeys.TARGET_PRIVATE_KEY_PASSPHRASE));
          try {
            key =
                keyFile.isPresent()
                    ? SnowflakeKeys.readFile(keyFile.get(), passphrase)
                    : SnowflakeKeys.parse(keyText, passphrase);
          } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
          }
        }
        unused(password != null, "target.password", auth, problems);
        unused(token != null, "target.token", auth, problems);
      }
      case OAUTH -> {
        need(token != null, "'target.token' is required with target.auth=oauth", problems);
        unused(password != null, "target.password", auth, problems);
        unused(anyKey, "target.private-key-file / target.private-key", auth, problems);
      }
      default ->
          problems.add(
              "'target.auth' is '" + auth + "'; Snowflake takes password, key-pair or oauth");
    }
    if (!problems.isEmpty()) {
      throw Errors.targetSettings("snowflake", problems);
    }
    return new SnowflakeSettings(
        host(url), user, database, config.schema(), warehouse, role, auth, password, key, token);
  }

  private static String required(
      TargetKeys config, io.synclog.config.ConfigKey key, List<String> problems) {
    Optional<String> v = config.optional(key).filter(s -> !s.isBlank());
    if (v.isEmpty()) {
      problems.add("'" + key.name() + "' is required with target.kind=snowflake");
    }
    return v.orElse(null);
  }

  private static void need(boolean ok, String problem, List<String> problems) {
    if (!ok) {
      problems.add(problem);
    }
  }

  private static void unused(boolean set, String what, String auth, List<String> problems) {
    if (set) {
      problems.add(
          what + " is set but target.auth is " + auth + "; remove it or change target.auth");
    }
  }

  private static String reveal(Optional<Secret> secret) {
    return secret.map(Secret::reveal).filter(s -> !s.isEmpty()).orElse(null);
  }

  /** "https://acct.snowflakecomputing.com/" and "acct.snowflakecomputing.com" name one host. */
  static String host(String url) {
    String h = url.trim();
    int scheme = h.indexOf("://");
    h = scheme < 0 ? h : h.substring(scheme + 3);
    while (h.endsWith("/")) {
      h = h.substring(0, h.length() - 1);
    }
    return h;
  }

  public String database() {
    return database;
  }

  public String schema() {
    return schema;
  }

  public String auth() {
    return auth;
  }

  /** The JDBC URL; carries no credentials. */
  public String jdbcUrl() {
    return "jdbc:snowflake://" + host + "/";
  }

  /** Options for the spark-snowflake data source: where, who, and the credentials of the mode. */
  public Map<String, String> connectorOptions() {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("sfURL", host);
    o.put("sfUser", user);
    o.put("sfDatabase", SnowflakeNames.folded(database));
    o.put("sfSchema", SnowflakeNames.folded(schema));
    o.put("sfWarehouse", warehouse);
    if (role != null) {
      o.put("sfRole", role);
    }
    switch (auth) {
      case KEY_PAIR ->
          o.put("pem_private_key", Base64.getEncoder().encodeToString(privateKey.getEncoded()));
      case OAUTH -> {
        o.put("sfAuthenticator", "oauth");
        o.put("sfToken", token);
      }
      default -> o.put("sfPassword", password);
    }
    return o;
  }

  /** Properties for the Snowflake JDBC driver; the key-pair key goes in as a key object. */
  public Properties jdbcProperties() {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("db", SnowflakeNames.folded(database));
    p.setProperty("schema", SnowflakeNames.folded(schema));
    p.setProperty("warehouse", warehouse);
    if (role != null) {
      p.setProperty("role", role);
    }
    p.setProperty("application", "synclog");
    switch (auth) {
      case KEY_PAIR -> p.put("privateKey", privateKey);
      case OAUTH -> {
        p.setProperty("authenticator", "oauth");
        p.setProperty("token", token);
      }
      default -> p.setProperty("password", password);
    }
    return p;
  }

  /** The values a message, a log or a stack trace must never contain. */
  List<String> secrets() {
    List<String> s = new ArrayList<>();
    if (password != null) {
      s.add(password);
    }
    if (token != null) {
      s.add(token);
    }
    if (privateKey != null) {
      s.add(Base64.getEncoder().encodeToString(privateKey.getEncoded()));
    }
    return s;
  }

  /** A message with any secret replaced by ****. */
  String scrub(String message) {
    String m = String.valueOf(message);
    for (String s : secrets()) {
      m = m.replace(s, "****");
    }
    return m;
  }

  /** "acct.snowflakecomputing.com, database ANALYTICS as SYNCLOG (key-pair)". */
  public String describe() {
    return host
        + ", database "
        + SnowflakeNames.folded(database)
        + " as "
        + user
        + " ("
        + auth
        + ")";
  }

  @Override
  public String toString() {
    return "Snowflake at " + describe();
  }
}
