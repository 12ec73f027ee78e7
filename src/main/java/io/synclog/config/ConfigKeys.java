package io.synclog.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every configuration key synclog reads, in the order the configuration reference documents them.
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  /** Every key, in declaration order, which is the configuration reference's order. */
  private static final List<ConfigKey> DECLARED = new ArrayList<>();

  private static ConfigKey declared(ConfigKey key) {
    DECLARED.add(key);
    return key;
  }

  private static ConfigKey of(String name, String defaultValue, String doc) {
    return declared(ConfigKey.of(name, defaultValue, doc));
  }

  private static ConfigKey choice(
      String name, String defaultValue, List<String> choices, String doc) {
    return declared(ConfigKey.choice(name, defaultValue, choices, doc));
  }

  private static ConfigKey secret(String name, String doc) {
    return declared(ConfigKey.secret(name, doc));
  }

  public static final ConfigKey SYNC_ID = of("sync.id", null, "ID of the sync (required).");
  public static final ConfigKey SYNC_DESTINATION =
      of(
          "sync.destination",
          "unknown",
          "Destination type, for example Salesforce or Braze (sync_runs.destination).");
  public static final ConfigKey MODEL_ID =
      of("model.id", null, "ID of the model attached to the sync (required).");
  public static final ConfigKey MODEL_NAME =
      of("model.name", null, "Name of the model (default: the model ID).");
  public static final ConfigKey MODEL_PRIMARY_KEY =
      of("model.primary-key", null, "Primary key column of the model; row_id is its string form.");
  public static final ConfigKey MODEL_TABLE =
      of("model.table", null, "Read the model extract from this table name.");
  public static final ConfigKey MODEL_QUERY =
      of("model.query", null, "Read the model extract from this Spark SQL query.");
  public static final ConfigKey MODEL_PATH =
      of("model.path", null, "Read the model extract from files at this path.");
  public static final ConfigKey MODEL_FORMAT =
      choice(
          "model.format",
          "parquet",
          List.of("parquet", "delta", "csv", "json", "orc"),
          "Format of the files at model.path (csv is read with a header row).");
  public static final ConfigKey MODEL_JDBC_URL =
      of(
          "model.jdbc-url",
          null,
          "Read model.table or model.query from this database (jdbc:postgresql://host:5432/db)"
              + " instead of the Spark catalog.");
  public static final ConfigKey MODEL_USER =
      of("model.user", null, "Database user for model.jdbc-url.");
  public static final ConfigKey MODEL_PASSWORD =
      secret(
          "model.password",
          "Password for model.jdbc-url; from SYNCLOG_MODEL_PASSWORD or"
              + " spark.synclog.model.password only.");
  public static final ConfigKey MODEL_PARTITIONS =
      of(
          "model.partitions",
          "8",
          "Parallel reads of a JDBC model (split on a hash of the primary key, or on"
              + " model.partition-column).");
  public static final ConfigKey MODEL_PARTITION_COLUMN =
      of(
          "model.partition-column",
          null,
          "Numeric column to split a JDBC model read on (default: a hash of the primary key).");
  public static final ConfigKey MODEL_ON_SCHEMA_CHANGE =
      choice(
          "model.on-schema-change",
          "resync",
          List.of("resync", "fail"),
          "When the model's columns changed since the last run: resync plans every row whose"
              + " fields changed; fail stops before writing anything.");
  public static final ConfigKey MODEL_ON_KEY_PROBLEM =
      choice(
          "model.on-key-problem",
          "log",
          List.of("log", "fail"),
          "Rows with a null or duplicated primary key: log them as failed and sync the rest, or"
              + " fail the whole run.");
  public static final ConfigKey SPLIT_COLUMN =
      of("split.column", null, "Model column holding each row's split group.");
  public static final ConfigKey SPLIT_GROUPS =
      of(
          "split.groups",
          null,
          "Split groups as name:percent pairs, for example control:10,treatment:90; rows are"
              + " assigned by a stable hash of row_id.");
  public static final ConfigKey STATUSES_TABLE =
      of("statuses.table", null, "Read the engine's row statuses from this table.");
  public static final ConfigKey STATUSES_PATH =
      of("statuses.path", null, "Read the engine's row statuses from this path.");
  public static final ConfigKey STATUSES_FORMAT =
      choice(
          "statuses.format",
          "parquet",
          List.of("parquet", "delta", "csv", "json", "orc"),
          "Format of the files at statuses.path.");
  public static final ConfigKey STATUSES_ON_INVALID =
      choice(
          "statuses.on-invalid",
          "fail",
          List.of("fail", "tolerate"),
          "Statuses for unplanned rows, duplicate statuses or unknown values: fail the run, or"
              + " tolerate them (counted and reported, never dropped silently).");
  public static final ConfigKey MODEL_CONNECTOR =
      choice(
          "model.connector",
          "spark",
          List.of("spark", "snowflake", "bigquery", "redshift"),
          "Read model.table or model.query through this warehouse's Spark connector, with the"
              + " target.* connection settings (spark: the Spark catalog, files or"
              + " model.jdbc-url).");
  public static final ConfigKey TARGET_KIND =
      choice(
          "target.kind",
          "delta",
          List.of("delta", "databricks", "postgres", "snowflake", "bigquery", "redshift"),
          "Where the three tables are kept: delta (tables at a path), databricks (tables by"
              + " name in Unity Catalog or the metastore), or a warehouse.");
  public static final ConfigKey TARGET_JDBC_URL =
      of(
          "target.jdbc-url",
          null,
          "JDBC URL of the target database: target.kind=postgres"
              + " (jdbc:postgresql://host:5432/db) or redshift (jdbc:redshift://host:5439/db).");
  public static final ConfigKey TARGET_USER =
      of("target.user", null, "Database user of the target.");
  public static final ConfigKey TARGET_LOCATION =
      of(
          "target.location",
          "warehouse",
          "Delta: folder or URI holding the schema folder (tables at location/schema/table).");
  public static final ConfigKey TARGET_SCHEMA =
      of("target.schema", "sync_audit", "Schema (database) of the three tables.");
  public static final ConfigKey TARGET_PASSWORD =
      secret(
          "target.password",
          "Password of the target database user; from SYNCLOG_TARGET_PASSWORD or"
              + " spark.synclog.target.password only.");
  public static final ConfigKey TARGET_CATALOG =
      of(
          "target.catalog",
          null,
          "Databricks: catalog of the three tables (default: the session's current catalog).");
  public static final ConfigKey TARGET_LIQUID_CLUSTERING =
      choice(
          "target.liquid-clustering",
          "false",
          List.of("true", "false"),
          "Delta and Databricks: create new tables with liquid clustering instead of partitions.");
  public static final ConfigKey TARGET_CHANGE_DATA_FEED =
      choice(
          "target.change-data-feed",
          "false",
          List.of("true", "false"),
          "Delta and Databricks: create the snapshot table with the change data feed enabled.");
  public static final ConfigKey TARGET_DELETION_VECTORS =
      choice(
          "target.deletion-vectors",
          "auto",
          List.of("auto", "true", "false"),
          "Delta and Databricks: give new snapshot tables deletion vectors and write a run's"
              + " snapshot by its changed rows, marking their old copies deleted, instead of"
              + " rewriting the sync's snapshot every run. auto: on for tables by path (synclog"
              + " writes the deletion vectors itself), off for tables by name; true: also by name"
              + " (a Delta MERGE); false: never, for readers without deletion-vector support.");
  public static final ConfigKey TARGET_SNAPSHOT_REWRITE_RUNS =
      of(
          "target.snapshot-rewrite-runs",
          "20",
          "Delta and Databricks, snapshot with deletion vectors: rewrite the sync's snapshot whole"
              + " (compacting it) every this many runs; 0 never does. It is also rewritten once"
              + " the rows marked deleted reach 30% of its live rows.");
  public static final ConfigKey TARGET_URL =
      of("target.url", null, "Snowflake: account URL (account.region.snowflakecomputing.com).");
  public static final ConfigKey TARGET_DATABASE =
      of("target.database", null, "Snowflake: database of the three tables.");
  public static final ConfigKey TARGET_WAREHOUSE =
      of("target.warehouse", null, "Snowflake: virtual warehouse that runs the loads.");
  public static final ConfigKey TARGET_ROLE =
      of("target.role", null, "Snowflake: role to use (default: the user's).");
  public static final ConfigKey TARGET_AUTH =
      choice(
          "target.auth",
          null,
          List.of("password", "key-pair", "oauth", "service-account", "default"),
          "How to authenticate to the target: password (Postgres, Snowflake, Redshift), key-pair"
              + " or oauth (Snowflake), service-account, oauth or default (BigQuery). Default:"
              + " password, or default on BigQuery.");
  public static final ConfigKey TARGET_PRIVATE_KEY_FILE =
      of(
          "target.private-key-file",
          null,
          "Snowflake key-pair: path of the PKCS#8 private key (PEM).");
  public static final ConfigKey TARGET_PRIVATE_KEY =
      secret(
          "target.private-key",
          "Snowflake key-pair: the PEM private key itself; from SYNCLOG_TARGET_PRIVATE_KEY or"
              + " spark.synclog.target.private-key only.");
  public static final ConfigKey TARGET_PRIVATE_KEY_PASSPHRASE =
      secret(
          "target.private-key-passphrase",
          "Snowflake key-pair: passphrase of an encrypted private key; from"
              + " SYNCLOG_TARGET_PRIVATE_KEY_PASSPHRASE or Spark conf only.");
  public static final ConfigKey TARGET_TOKEN =
      secret(
          "target.token",
          "OAuth access token for Snowflake or BigQuery oauth; from SYNCLOG_TARGET_TOKEN or"
              + " spark.synclog.target.token only.");
  public static final ConfigKey TARGET_PROJECT =
      of("target.project", null, "BigQuery: project holding the dataset.");
  public static final ConfigKey TARGET_PARENT_PROJECT =
      of(
          "target.parent-project",
          null,
          "BigQuery: project billed for jobs (default: target.project).");
  public static final ConfigKey TARGET_CREDENTIALS_FILE =
      of("target.credentials-file", null, "BigQuery service-account: path of the JSON key file.");
  public static final ConfigKey TARGET_CREDENTIALS =
      secret(
          "target.credentials",
          "BigQuery service-account: the JSON key, base64-encoded; from SYNCLOG_TARGET_CREDENTIALS"
              + " or spark.synclog.target.credentials only.");
  public static final ConfigKey TARGET_WRITE_METHOD =
      choice(
          "target.write-method",
          "indirect",
          List.of("indirect", "direct"),
          "BigQuery: indirect (staged files and a load job) or direct (Storage Write API).");
  public static final ConfigKey TARGET_ENDPOINT =
      of(
          "target.endpoint",
          null,
          "BigQuery: REST endpoint to use instead of Google's (private endpoints, tests).");
  public static final ConfigKey TARGET_TEMP_DIR =
      of(
          "target.temp-dir",
          null,
          "Where bulk loads are staged: gs://bucket[/path] for BigQuery indirect writes,"
              + " s3://bucket/prefix for Redshift.");
  public static final ConfigKey TARGET_IAM_ROLE =
      of(
          "target.iam-role",
          null,
          "Redshift: ARN of the IAM role COPY uses to read target.temp-dir.");
  public static final ConfigKey TABLES_ENABLED =
      of(
          "tables.enabled",
          "changelog,snapshot,runs",
          "Which tables to keep visible; a disabled snapshot or runs table is still kept, under"
              + " an internal name, because synclog needs it to diff and to stay exactly-once.");
  public static final ConfigKey RUN_ID =
      of("run.id", null, "ID of the sync run (required for plan and record).");
  public static final ConfigKey RUN_STATUS =
      choice(
          "run.status",
          null,
          List.of("succeeded", "failed"),
          "Status of the sync run (default: failed when run.error is set, else succeeded).");
  public static final ConfigKey RUN_ERROR =
      of("run.error", null, "The sync-level error, if the run terminated early.");
  public static final ConfigKey RUN_STARTED_AT =
      of(
          "run.started-at",
          null,
          "When the sync run started, ISO-8601 (default: when this job started).");
  public static final ConfigKey RUN_FINISHED_AT =
      of(
          "run.finished-at",
          null,
          "When the sync run finished, ISO-8601 (default: when this job read the statuses).");
  public static final ConfigKey RECORD_USE_PLAN =
      choice(
          "record.use-plan",
          "auto",
          List.of("auto", "always", "never"),
          "Use the plan stored by 'plan' for this run: auto uses it when there is one.");
  public static final ConfigKey SPARK_MASTER =
      of(
          "spark.master",
          "local[*]",
          "Spark master when none is set by spark-submit or the cluster.");
  public static final ConfigKey FAULT_INJECT_AT =
      of(
          "fault.inject-at",
          null,
          "For testing recovery: fail on purpose at this write boundary"
              + " (see src/site/markdown/reliability.md).");

  /** All keys, by name, in documentation order. */
  public static final Map<String, ConfigKey> ALL = index();

  private static Map<String, ConfigKey> index() {
    Map<String, ConfigKey> keys = new LinkedHashMap<>();
    for (ConfigKey key : DECLARED) {
      keys.put(key.name(), key);
    }
    return Collections.unmodifiableMap(keys);
  }
}
