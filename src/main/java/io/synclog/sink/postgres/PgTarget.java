package io.synclog.sink.postgres;

import io.synclog.config.ConfigKeys;
import io.synclog.config.Secret;
import io.synclog.config.TargetKeys;
import io.synclog.error.Errors;
import io.synclog.sink.warehouse.JdbcSession;
import io.synclog.sink.warehouse.WarehouseCalls;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where a Postgres database is and how to log in. Serializable because the staging writers open
 * their own connections on the executors; {@link #toString()} shows the host and database only, so
 * the password cannot reach a log line, a Spark plan or an error message by accident.
 */
public final class PgTarget implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String url;
  private final String user;
  private final String password;

  private PgTarget(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /**
   * @param url a {@code jdbc:postgresql://host:port/db} URL
   * @param user the user, or null to let the driver choose
   * @param password the password, or null when the server does not ask for one
   */
  public static PgTarget of(String url, String user, Secret password) {
    return new PgTarget(url, user, password == null ? null : password.reveal());
  }

  /** The settings of {@code target.kind=postgres}: target.jdbc-url, target.user, the password. */
  public static PgTarget from(TargetKeys keys) {
    return of(
        keys.get(ConfigKeys.TARGET_JDBC_URL),
        keys.get(ConfigKeys.TARGET_USER),
        keys.secret(ConfigKeys.TARGET_PASSWORD).orElse(null));
  }

  /** The URL without its query string (which may carry credentials): "host:5432/db". */
  public String describe() {
    String bare = url.startsWith("jdbc:postgresql://") ? url.substring(18) : url;
    int q = bare.indexOf('?');
    bare = q < 0 ? bare : bare.substring(0, q);
    int at = bare.lastIndexOf('@');
    return at < 0 ? bare : bare.substring(at + 1);
  }

  /**
   * Opens a connection. Uses the driver directly rather than {@code DriverManager}, which does not
   * see drivers loaded by Spark's user class loader on executors.
   */
  public Connection connect() {
    try {
      Connection c = new org.postgresql.Driver().connect(url, JdbcSession.login(user, password));
      if (c == null) {
        throw new SQLException("not a jdbc:postgresql: URL");
      }
      return c;
    } catch (SQLException e) {
      throw Errors.unreachableDatabase("Postgres at " + describe(), scrub(e));
    }
  }

  /** Options for Spark's JDBC source. Spark redacts the password option in plans and the UI. */
  public Map<String, String> sparkOptions() {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("url", url);
    o.put("driver", "org.postgresql.Driver");
    if (user != null) {
      o.put("user", user);
    }
    if (password != null) {
      o.put("password", password);
    }
    o.put("fetchsize", "10000");
    return o;
  }

  /** The same as {@link #sparkOptions()}, as JDBC properties. */
  public Properties sparkProperties() {
    Properties p = new Properties();
    sparkOptions().forEach(p::setProperty);
    return p;
  }

  /**
   * A copy of a driver error whose message cannot contain the password: pgjdbc does not put it in
   * messages, but a server or proxy might echo a connection string back.
   */
  SQLException scrub(SQLException e) {
    return WarehouseCalls.scrub(e, password);
  }

  @Override
  public String toString() {
    return "Postgres at " + describe();
  }
}
