package io.synclog.sink.redshift;

import io.synclog.sink.Canonical;
import io.synclog.sink.SinkTarget;
import io.synclog.sink.postgres.EmbeddedPg;
import io.synclog.sink.postgres.PostgresTarget;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Redshift played by the embedded PostgreSQL server: the sink talks to it through the connector
 * stand-in (test class {@code io.github.spark_redshift_community.spark.redshift.DefaultSource}) and
 * pgjdbc, with two shims that let Redshift's SQL run unchanged: a {@code super} domain over jsonb
 * and a {@code json_parse(text)} function.
 */
public final class RedshiftTarget implements SinkTarget {
  public static final RedshiftTarget INSTANCE = new RedshiftTarget();

  static final String TEMP_DIR = "s3://synclog-test-bucket/redshift-temp";
  static final String IAM_ROLE = "arn:aws:iam::123456789012:role/synclog-test-copy";

  private static boolean shimmed;

  private RedshiftTarget() {}

  /** Installs the {@code super} and {@code json_parse} shims in the public schema, once. */
  public static synchronized void installShims() {
    if (shimmed) {
      return;
    }
    try (Connection c = EmbeddedPg.admin();
        Statement st = c.createStatement()) {
      st.execute(
          "DO $$ BEGIN CREATE DOMAIN public.super AS jsonb; EXCEPTION WHEN duplicate_object"
              + " THEN NULL; END $$");
      st.execute(
          "CREATE OR REPLACE FUNCTION public.json_parse(text) RETURNS jsonb LANGUAGE sql"
              + " IMMUTABLE AS 'SELECT $1::jsonb'");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    shimmed = true;
  }

  @Override
  public String kind() {
    return "redshift";
  }

  @Override
  public Map<String, String> settings(String namespace) {
    installShims();
    return Map.of(
        "target.kind",
        "redshift",
        "target.jdbc-url",
        EmbeddedPg.url(),
        "target.user",
        EmbeddedPg.APP_USER,
        "target.schema",
        namespace,
        "target.temp-dir",
        TEMP_DIR,
        "target.iam-role",
        IAM_ROLE);
  }

  @Override
  public Map<String, String> secrets() {
    return Map.of("target.password", EmbeddedPg.APP_PASSWORD);
  }

  @Override
  public List<String> rows(String namespace, String table) {
    if (PostgresTarget.query(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
            namespace,
            table)
        .isEmpty()) {
      return List.of();
    }
    return Canonical.lines(PostgresTarget.table(namespace, table), table);
  }

  @Override
  public List<String> leftovers(String namespace) {
    return PostgresTarget.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_name"
            + " LIKE '\\_synclog\\_stage\\_%'",
        namespace);
  }
}
