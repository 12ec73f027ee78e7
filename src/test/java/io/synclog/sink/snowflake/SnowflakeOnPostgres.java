package io.synclog.sink.snowflake;

import io.synclog.sink.postgres.EmbeddedPg;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The embedded PostgreSQL 18 server as a stand-in for Snowflake's SQL, so the sink's own statements
 * run unchanged for their semantics (transactions, DELETE + INSERT, MERGE, PARSE_JSON into a JSON
 * column, the lock protocol). Shims: {@code VARIANT} is a domain over jsonb, {@code TIMESTAMP_TZ}
 * over timestamptz, {@code PARSE_JSON(text)} and {@code TO_TIMESTAMP_TZ(text, format)} are SQL
 * functions. Three pieces of Snowflake DDL that Postgres lacks are rewritten on the way in, and
 * only those: {@code CREATE TRANSIENT TABLE} becomes {@code CREATE UNLOGGED TABLE}, a trailing
 * {@code CLUSTER BY (...)} is dropped, and so is a replaced view's {@code COPY GRANTS}. Every
 * statement is recorded.
 *
 * <p>What this proves is that synclog's SQL means what it should; it proves nothing about
 * Snowflake's own behaviour (its locking, DDL auto-commit, VARIANT loading), which only the live
 * {@code SnowflakeSinkIT} shows.
 */
final class SnowflakeOnPostgres {
  private static final Pattern CLUSTER_BY = Pattern.compile("\\s+CLUSTER BY \\([^)]*\\)$");
  private static final Pattern COPY_GRANTS =
      Pattern.compile("^(CREATE OR REPLACE VIEW \\S+) COPY GRANTS AS\\b");
  private static boolean shimmed;

  /** Every statement sent through {@link #connections()}, as Snowflake would receive it. */
  static final List<String> ISSUED = Collections.synchronizedList(new ArrayList<>());

  private SnowflakeOnPostgres() {}

  static synchronized void shims() {
    if (shimmed) {
      return;
    }
    try (Connection c = EmbeddedPg.admin();
        Statement st = c.createStatement()) {
      st.execute(
          "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'variant') THEN"
              + " CREATE DOMAIN public.variant AS jsonb; END IF; IF NOT EXISTS (SELECT 1 FROM"
              + " pg_type WHERE typname = 'timestamp_tz') THEN CREATE DOMAIN public.timestamp_tz"
              + " AS timestamptz; END IF; END $$");
      st.execute(
          "CREATE OR REPLACE FUNCTION public.parse_json(text) RETURNS jsonb LANGUAGE sql"
              + " IMMUTABLE AS 'SELECT $1::jsonb'");
      st.execute(
          "CREATE OR REPLACE FUNCTION public.to_timestamp_tz(text, text) RETURNS timestamptz"
              + " LANGUAGE sql IMMUTABLE AS 'SELECT $1::timestamptz'");
      st.execute("GRANT USAGE ON SCHEMA public TO " + EmbeddedPg.APP_USER);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    shimmed = true;
  }

  static String translate(String sql) {
    String s = sql.replaceFirst("^CREATE TRANSIENT TABLE ", "CREATE UNLOGGED TABLE ");
    s = COPY_GRANTS.matcher(s).replaceFirst("$1 AS");
    return CLUSTER_BY.matcher(s).replaceFirst("");
  }

  /** Connections as the password-protected app user, speaking through the two rewrites. */
  static SnowflakeJdbc.Connections connections() {
    shims();
    return () -> {
      Properties p = new Properties();
      p.setProperty("user", EmbeddedPg.APP_USER);
      p.setProperty("password", EmbeddedPg.APP_PASSWORD);
      Connection real = DriverManager.getConnection(EmbeddedPg.url(), p);
      try (Statement st = real.createStatement()) {
        st.execute("SET TIME ZONE 'UTC'");
      }
      return translating(real);
    };
  }

  private static Connection translating(Connection real) {
    InvocationHandler h =
        (proxy, method, args) -> {
          if (method.getName().equals("prepareStatement") && args.length == 1) {
            ISSUED.add((String) args[0]);
            return real.prepareStatement(translate((String) args[0]));
          }
          if (method.getName().equals("createStatement") && (args == null || args.length == 0)) {
            return statement(real.createStatement());
          }
          return invoke(method, real, args);
        };
    return (Connection)
        Proxy.newProxyInstance(
            SnowflakeOnPostgres.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
  }

  private static Statement statement(Statement real) {
    InvocationHandler h =
        (proxy, method, args) -> {
          if (method.getName().equals("execute") && args.length == 1) {
            ISSUED.add((String) args[0]);
            return real.execute(translate((String) args[0]));
          }
          return invoke(method, real, args);
        };
    return (Statement)
        Proxy.newProxyInstance(
            SnowflakeOnPostgres.class.getClassLoader(), new Class<?>[] {Statement.class}, h);
  }

  private static Object invoke(java.lang.reflect.Method m, Object target, Object[] args)
      throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * Loads and reads through Spark's JDBC source, as the connector does through COPY and unload:
   * loads by column position (the connector's {@code column_mapping=order}), reads a query with
   * Spark's filters pushed into it.
   */
  static SnowflakeTransfer transfer(SparkSession spark) {
    return new SnowflakeTransfer() {
      @Override
      public void load(Dataset<Row> rows, String qualifiedTable) {
        String[] upper = new String[rows.columns().length];
        for (int i = 0; i < upper.length; i++) {
          upper[i] = rows.columns()[i].toUpperCase(Locale.ROOT);
        }
        rows.toDF(upper).write().mode("append").jdbc(EmbeddedPg.url(), qualifiedTable, props());
      }

      @Override
      public Dataset<Row> query(String sql) {
        return spark
            .read()
            .format("jdbc")
            .option("url", EmbeddedPg.url())
            .option("user", EmbeddedPg.APP_USER)
            .option("password", EmbeddedPg.APP_PASSWORD)
            .option("query", sql)
            .load();
      }
    };
  }

  private static Properties props() {
    Properties p = new Properties();
    p.setProperty("user", EmbeddedPg.APP_USER);
    p.setProperty("password", EmbeddedPg.APP_PASSWORD);
    p.setProperty("driver", "org.postgresql.Driver");
    return p;
  }
}
