package io.synclog.sink.redshift;

import io.synclog.config.ConfigKeys;
import io.synclog.config.Secret;
import io.synclog.config.TargetKeys;
import io.synclog.error.Errors;
import io.synclog.sink.warehouse.JdbcSession;
import io.synclog.sink.warehouse.WarehouseCalls;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a Redshift cluster is, how to log in, and where bulk loads are staged. The connection goes
 * through the Amazon Redshift JDBC driver for {@code jdbc:redshift:} URLs, or pgjdbc for {@code
 * jdbc:postgresql:} URLs (Redshift speaks the Postgres protocol); both are supplied by the cluster,
 * as the spark-redshift connector is. {@link #toString()} and {@link #describe()} show host and
 * database only, so the password cannot reach a log line or a message.
 */
public final class RsTarget {
  /** The spark-redshift community connector's data-source name. */
  static final String CONNECTOR = "io.github.spark_redshift_community.spark.redshift";

  static final String REDSHIFT_DRIVER = "com.amazon.redshift.jdbc42.Driver";
  static final String POSTGRES_DRIVER = "org.postgresql.Driver";

  private static final Pattern IAM_ROLE =
      Pattern.compile(
          "arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+(,arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+)*");
  private static final Pattern TEMP_DIR =
      Pattern.compile("s3[an]?://[a-z0-9][a-z0-9.-]{1,62}(/.*)?");

  private final String url;
  private final String user;
  private final String password;
  private final String tempDir;
  private final String iamRole;

  RsTarget(String url, String user, Secret password, String tempDir, String iamRole) {
    this.url = url;
    this.user = user;
    this.password = password == null ? null : password.reveal();
    this.tempDir = tempDir;
    this.iamRole = iamRole;
  }

  /**
   * The target of {@code target.*} settings, after checking every Redshift setting at once.
   *
   * @throws io.synclog.error.SyncLogException listing every missing or malformed setting
   */
  public static RsTarget from(TargetKeys config) {
    String url = config.optional(ConfigKeys.TARGET_JDBC_URL).orElse(null);
    String user = config.optional(ConfigKeys.TARGET_USER).orElse(null);
    Secret password = config.secret(ConfigKeys.TARGET_PASSWORD).orElse(null);
    String tempDir = config.optional(ConfigKeys.TARGET_TEMP_DIR).orElse(null);
    String iamRole = config.optional(ConfigKeys.TARGET_IAM_ROLE).orElse(null);
    String auth = config.optional(ConfigKeys.TARGET_AUTH).orElse("password");
    List<String> problems = new ArrayList<>();
    if (url == null) {
      problems.add("'target.jdbc-url' is required (jdbc:redshift://cluster:5439/database)");
    } else if (!url.startsWith("jdbc:redshift:") && !url.startsWith("jdbc:postgresql:")) {
      problems.add("'target.jdbc-url' must start with jdbc:redshift: or jdbc:postgresql:");
    }
    if (!auth.equals("password")) {
      problems.add(
          "'target.auth' is '"
              + auth
              + "'; Redshift logs in with target.user and target.password, or with IAM through a"
              + " jdbc:redshift:iam:// URL");
    }
    boolean iamUrl = url != null && url.startsWith("jdbc:redshift:iam:");
    if (!iamUrl && user == null) {
      problems.add("'target.user' is required (or use a jdbc:redshift:iam:// URL)");
    }
    if (!iamUrl && password == null) {
      problems.add(
          "'target.password' is required: set SYNCLOG_TARGET_PASSWORD or"
              + " spark.synclog.target.password");
    }
    if (tempDir == null) {
      problems.add("'target.temp-dir' is required (s3://bucket/prefix where loads are staged)");
    } else if (!TEMP_DIR.matcher(tempDir).matches()) {
      problems.add("'target.temp-dir' is '" + tempDir + "'; expected s3://bucket/prefix");
    }
    if (iamRole == null) {
      problems.add(
          "'target.iam-role' is required (arn:aws:iam::<account>:role/<name>, a role the cluster"
              + " may assume to read and write target.temp-dir)");
    } else if (!IAM_ROLE.matcher(iamRole).matches()) {
      problems.add(
          "'target.iam-role' is '" + iamRole + "'; expected arn:aws:iam::<account>:role/<name>");
    }
    if (!problems.isEmpty()) {
      throw Errors.targetSettings("redshift", problems);
    }
    return new RsTarget(url, user, password, tempDir, iamRole);
  }

  /** "host:5439/db", without the scheme, credentials or query string. */
  String describe() {
    String bare = url.replaceFirst("^jdbc:[a-z]+:(iam:)?//", "");
    int q = bare.indexOf('?');
    bare = q < 0 ? bare : bare.substring(0, q);
    int semi = bare.indexOf(';');
    bare = semi < 0 ? bare : bare.substring(0, semi);
    int at = bare.lastIndexOf('@');
    return at < 0 ? bare : bare.substring(at + 1);
  }

  String driverClass() {
    return url.startsWith("jdbc:postgresql:") ? POSTGRES_DRIVER : REDSHIFT_DRIVER;
  }

  /**
   * Opens a connection, with the driver instance rather than {@code DriverManager}, which does not
   * see drivers loaded by Spark's user class loader.
   */
  Connection connect() {
    Driver driver;
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      driver =
          (Driver)
              Class.forName(
                      driverClass(), true, loader == null ? getClass().getClassLoader() : loader)
                  .getDeclaredConstructor()
                  .newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      throw Errors.unreachableDatabase(
          "Redshift at " + describe(),
          new SQLException(
              "the JDBC driver "
                  + driverClass()
                  + " is not on the classpath (EMR and Glue provide it; elsewhere add"
                  + " com.amazon.redshift:redshift-jdbc42 to --packages)"));
    }
    try {
      Connection c = driver.connect(url, JdbcSession.login(user, password));
      if (c == null) {
        throw new SQLException("the driver " + driverClass() + " does not accept this URL");
      }
      return c;
    } catch (SQLException e) {
      throw Errors.unreachableDatabase("Redshift at " + describe(), scrub(e));
    }
  }

  /**
   * The connector's options for reading or writing one table (or none, when a query is read). Loads
   * are staged as Avro, which, unlike CSV, keeps a null apart from any text; COPY names the
   * columns; the connector does not retry a failed write itself (a rerun of the run does, safely).
   * Spark redacts the password and the URL in plans and the UI.
   */
  Map<String, String> connectorOptions(String dbtable) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("url", url);
    o.put("jdbcdriver", driverClass());
    if (user != null) {
      o.put("user", user);
    }
    if (password != null) {
      o.put("password", password);
    }
    if (dbtable != null) {
      o.put("dbtable", dbtable);
    }
    o.put("tempdir", tempDir);
    o.put("aws_iam_role", iamRole);
    o.put("tempformat", "AVRO");
    o.put("include_column_list", "true");
    o.put("copyretrycount", "0");
    return o;
  }

  /** A copy of an error whose message cannot contain the password. */
  SQLException scrub(SQLException e) {
    return WarehouseCalls.scrub(e, password);
  }

  /** Any error, with the password removed from its message. */
  Throwable scrub(Throwable t) {
    if (t instanceof SQLException s) {
      return scrub(s);
    }
    if (password == null || password.isEmpty() || t.getMessage() == null) {
      return t;
    }
    return t.getMessage().contains(password)
        ? new RuntimeException(t.getMessage().replace(password, "****"))
        : t;
  }

  @Override
  public String toString() {
    return "Redshift at " + describe();
  }
}
