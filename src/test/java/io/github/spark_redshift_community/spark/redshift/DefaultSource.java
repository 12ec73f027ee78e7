package io.github.spark_redshift_community.spark.redshift;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.sources.BaseRelation;
import org.apache.spark.sql.sources.CreatableRelationProvider;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.sources.PrunedScan;
import org.apache.spark.sql.sources.RelationProvider;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;
import scala.collection.JavaConverters;

/**
 * A test stand-in for the spark-redshift community connector, under the connector's own data-source
 * name, that runs its documented write protocol against PostgreSQL: autocommit off; on Overwrite,
 * {@code DROP TABLE IF EXISTS}; {@code CREATE TABLE IF NOT EXISTS}; each preaction; the load; each
 * postaction; commit, or rollback on any error. Pre- and postactions are handled exactly as the
 * connector's {@code Parameters}/{@code RedshiftWriter} do: the option is trimmed and split on
 * {@code ;}, and an action containing {@code %s} is formatted with the table name.
 *
 * <p>What it proves: the SQL the sink gives the connector runs, in one transaction, with the
 * intended semantics (on Postgres with the {@code super} and {@code json_parse} shims), and the
 * sink's whole protocol (staging, lock check, swap, reruns, crashes) holds. What it cannot prove:
 * the S3 leg (the rows are streamed into the table with {@code COPY ... FROM STDIN} instead of an
 * Avro manifest COPY from {@code tempdir}, and reads are JDBC instead of UNLOAD), Redshift's COPY
 * parsing and type limits, IAM and S3 access, and Redshift's own locking and isolation.
 */
public final class DefaultSource
    implements RelationProvider, CreatableRelationProvider, DataSourceRegister {
  /**
   * The real connector, when its jar is on the test classpath (for the live {@code
   * RedshiftSinkIT}): this class shadows the connector's own {@code DefaultSource}, so the jar is
   * loaded in a child-first class loader and every call is handed to it. Null offline.
   */
  private static final Object REAL = realConnector();

  /** The options of every write, in order. */
  public static final List<Map<String, String>> WRITES =
      Collections.synchronizedList(new ArrayList<>());

  /** Every statement writes ran, in order (the load is recorded as {@code COPY <table>}). */
  public static final List<String> STATEMENTS = Collections.synchronizedList(new ArrayList<>());

  /** When set, the next write to a table whose name contains it fails just before COMMIT. */
  public static final AtomicReference<String> FAIL_BEFORE_COMMIT = new AtomicReference<>();

  /** Whether calls go to the real spark-redshift connector rather than to PostgreSQL. */
  public static boolean realConnectorPresent() {
    return REAL != null;
  }

  @Override
  public String shortName() {
    return "redshift";
  }

  private static Object realConnector() {
    ClassLoader parent = DefaultSource.class.getClassLoader();
    URL writer =
        parent.getResource(
            "io/github/spark_redshift_community/spark/redshift/RedshiftWriter.class");
    if (writer == null || !"jar".equals(writer.getProtocol())) {
      return null;
    }
    try {
      String path = writer.getPath();
      URL jar = new URL(path.substring(0, path.indexOf("!/")));
      ClassLoader childFirst =
          new URLClassLoader(new URL[] {jar}, parent) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve)
                throws ClassNotFoundException {
              if (!name.startsWith("io.github.spark_redshift_community.")) {
                return super.loadClass(name, resolve);
              }
              synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                  c = findClass(name);
                }
                if (resolve) {
                  resolveClass(c);
                }
                return c;
              }
            }
          };
      return childFirst
          .loadClass(DefaultSource.class.getName())
          .getDeclaredConstructor()
          .newInstance();
    } catch (IOException | ReflectiveOperationException e) {
      throw new IllegalStateException("cannot load the spark-redshift connector from its jar", e);
    }
  }

  private static Map<String, String> options(scala.collection.immutable.Map<String, String> p) {
    Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    out.putAll(JavaConverters.mapAsJavaMapConverter(p).asJava());
    return out;
  }

  private static Connection connect(Map<String, String> o) throws SQLException {
    Properties p = new Properties();
    if (o.containsKey("user")) {
      p.setProperty("user", o.get("user"));
    }
    if (o.containsKey("password")) {
      p.setProperty("password", o.get("password"));
    }
    return DriverManager.getConnection(o.get("url"), p);
  }

  private static String require(Map<String, String> o, String key) {
    String v = o.get(key);
    if (v == null) {
      throw new IllegalArgumentException("'" + key + "' is required");
    }
    return v;
  }

  // ---- write ---------------------------------------------------------------------------------

  @Override
  public BaseRelation createRelation(
      SQLContext sqlContext,
      SaveMode mode,
      scala.collection.immutable.Map<String, String> parameters,
      Dataset<Row> data) {
    if (REAL != null) {
      return ((CreatableRelationProvider) REAL).createRelation(sqlContext, mode, parameters, data);
    }
    Map<String, String> o = options(parameters);
    require(o, "url");
    require(o, "tempdir");
    if (!o.containsKey("aws_iam_role") && !"true".equals(o.get("forward_spark_s3_credentials"))) {
      throw new IllegalArgumentException("You must specify a method for authenticating to S3");
    }
    String table = require(o, "dbtable");
    WRITES.add(new LinkedHashMap<>(o));
    try (Connection c = connect(o)) {
      c.setAutoCommit(false);
      try {
        if (mode == SaveMode.Overwrite) {
          run(c, "DROP TABLE IF EXISTS " + table);
        }
        run(c, "CREATE TABLE IF NOT EXISTS " + table + " (" + schemaString(data.schema()) + ")");
        for (String action : actions(o, "preactions")) {
          run(c, action.contains("%s") ? String.format(action, table) : action);
        }
        List<Row> rows = data.collectAsList();
        if (!rows.isEmpty()) {
          load(c, table, data.schema(), rows, "true".equals(o.get("include_column_list")));
        }
        for (String action : actions(o, "postactions")) {
          run(c, action.contains("%s") ? String.format(action, table) : action);
        }
        String failAt = FAIL_BEFORE_COMMIT.get();
        if (failAt != null
            && table.contains(failAt)
            && FAIL_BEFORE_COMMIT.compareAndSet(failAt, null)) {
          throw new SQLException("injected failure before COMMIT");
        }
        c.commit();
      } catch (SQLException | RuntimeException | IOException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException | IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    StructType schema = data.schema();
    return new BaseRelation() {
      @Override
      public SQLContext sqlContext() {
        return sqlContext;
      }

      @Override
      public StructType schema() {
        return schema;
      }
    };
  }

  /** The connector's parsing of an action list. */
  static String[] actions(Map<String, String> o, String key) {
    return o.getOrDefault(key, ";").trim().split(";");
  }

  private static void run(Connection c, String sql) throws SQLException {
    STATEMENTS.add(sql);
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static String schemaString(StructType schema) {
    List<String> cols = new ArrayList<>();
    for (StructField f : schema.fields()) {
      String type =
          switch (f.dataType().typeName()) {
            case "long" -> "BIGINT";
            case "integer" -> "INTEGER";
            case "boolean" -> "BOOLEAN";
            case "date" -> "DATE";
            case "timestamp" -> "TIMESTAMP";
            default -> "TEXT";
          };
      cols.add("\"" + f.name().toLowerCase() + "\" " + type);
    }
    return String.join(", ", cols);
  }

  /** Streams the rows into the table, where the connector would COPY its Avro files from S3. */
  private static void load(
      Connection c, String table, StructType schema, List<Row> rows, boolean columnList)
      throws SQLException, IOException {
    List<String> cols = new ArrayList<>();
    for (StructField f : schema.fields()) {
      cols.add("\"" + f.name().toLowerCase() + "\"");
    }
    String copy =
        "COPY "
            + table
            + (columnList ? " (" + String.join(",", cols) + ")" : "")
            + " FROM STDIN (FORMAT text)";
    STATEMENTS.add("COPY " + table);
    try (Writer w =
        new BufferedWriter(
            new OutputStreamWriter(
                new PGCopyOutputStream(c.unwrap(PGConnection.class), copy),
                StandardCharsets.UTF_8))) {
      StringBuilder line = new StringBuilder();
      for (Row r : rows) {
        line.setLength(0);
        for (int i = 0; i < r.length(); i++) {
          if (i > 0) {
            line.append('\t');
          }
          if (r.isNullAt(i)) {
            line.append("\\N");
          } else {
            Object v = r.get(i);
            String s = v instanceof Timestamp t ? t.toInstant().toString() : v.toString();
            line.append(
                s.replace("\\", "\\\\")
                    .replace("\t", "\\t")
                    .replace("\n", "\\n")
                    .replace("\r", "\\r"));
          }
        }
        w.append(line).append('\n');
      }
    }
  }

  // ---- read ----------------------------------------------------------------------------------

  @Override
  public BaseRelation createRelation(
      SQLContext sqlContext, scala.collection.immutable.Map<String, String> parameters) {
    if (REAL != null) {
      return ((RelationProvider) REAL).createRelation(sqlContext, parameters);
    }
    Map<String, String> o = options(parameters);
    require(o, "url");
    require(o, "tempdir");
    String source;
    if (o.containsKey("dbtable") == o.containsKey("query")) {
      throw new IllegalArgumentException("give exactly one of 'dbtable' and 'query'");
    }
    source = o.containsKey("query") ? "(" + o.get("query") + ")" : o.get("dbtable");
    return new JdbcScan(sqlContext, o, source);
  }

  /** Reads a table or query over JDBC, only the columns asked for; JSON columns as text. */
  private static final class JdbcScan extends BaseRelation implements PrunedScan {
    private final SQLContext sqlContext;
    private final Map<String, String> options;
    private final String source;
    private final Map<String, String> selects = new LinkedHashMap<>();
    private final StructType schema;

    JdbcScan(SQLContext sqlContext, Map<String, String> options, String source) {
      this.sqlContext = sqlContext;
      this.options = options;
      this.source = source;
      try (Connection c = connect(options);
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT * FROM " + source + " AS q WHERE 1 = 0")) {
        ResultSetMetaData md = rs.getMetaData();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          String name = md.getColumnName(i);
          String type = md.getColumnTypeName(i).toLowerCase();
          String q = "\"" + name + "\"";
          selects.put(
              name, type.contains("json") || type.equals("super") ? q + "::text AS " + q : q);
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
      this.schema = read(new ArrayList<>(selects.keySet()), true).schema();
    }

    private Dataset<Row> read(List<String> columns, boolean empty) {
      List<String> select = new ArrayList<>();
      columns.forEach(col -> select.add(selects.get(col)));
      Properties p = new Properties();
      options.forEach(
          (k, v) -> {
            if (k.equalsIgnoreCase("user") || k.equalsIgnoreCase("password")) {
              p.setProperty(k.toLowerCase(), v);
            }
          });
      p.setProperty("driver", "org.postgresql.Driver");
      String sql =
          "(SELECT "
              + (select.isEmpty() ? "1 AS one" : String.join(", ", select))
              + " FROM "
              + source
              + " AS q"
              + (empty ? " WHERE 1 = 0" : "")
              + ") AS standin";
      return sqlContext.sparkSession().read().jdbc(options.get("url"), sql, p);
    }

    @Override
    public SQLContext sqlContext() {
      return sqlContext;
    }

    @Override
    public StructType schema() {
      return schema;
    }

    @Override
    public org.apache.spark.rdd.RDD<Row> buildScan(String[] requiredColumns) {
      if (requiredColumns.length == 0) {
        return read(List.of(), false).javaRDD().map(r -> RowFactory.create()).rdd();
      }
      return read(List.of(requiredColumns), false).rdd();
    }
  }
}
