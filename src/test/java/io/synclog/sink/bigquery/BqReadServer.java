package io.synclog.sink.bigquery;

import com.google.cloud.spark.bigquery.repackaged.com.google.cloud.bigquery.storage.v1.ArrowRecordBatch;
import com.google.cloud.spark.bigquery.repackaged.com.google.cloud.bigquery.storage.v1.ArrowSchema;
import com.google.cloud.spark.bigquery.repackaged.com.google.cloud.bigquery.storage.v1.AvroRows;
import com.google.cloud.spark.bigquery.repackaged.com.google.cloud.bigquery.storage.v1.AvroSchema;
import com.google.cloud.spark.bigquery.repackaged.com.google.cloud.bigquery.storage.v1.BigQueryReadGrpc;
import com.google.cloud.spark.bigquery.repackaged.com.google.cloud.bigquery.storage.v1.CreateReadSessionRequest;
import com.google.cloud.spark.bigquery.repackaged.com.google.cloud.bigquery.storage.v1.DataFormat;
import com.google.cloud.spark.bigquery.repackaged.com.google.cloud.bigquery.storage.v1.ReadRowsRequest;
import com.google.cloud.spark.bigquery.repackaged.com.google.cloud.bigquery.storage.v1.ReadRowsResponse;
import com.google.cloud.spark.bigquery.repackaged.com.google.cloud.bigquery.storage.v1.ReadSession;
import com.google.cloud.spark.bigquery.repackaged.com.google.cloud.bigquery.storage.v1.ReadStream;
import com.google.cloud.spark.bigquery.repackaged.com.google.protobuf.ByteString;
import com.google.cloud.spark.bigquery.repackaged.io.grpc.Server;
import com.google.cloud.spark.bigquery.repackaged.io.grpc.Status;
import com.google.cloud.spark.bigquery.repackaged.io.grpc.netty.GrpcSslContexts;
import com.google.cloud.spark.bigquery.repackaged.io.grpc.netty.NettyServerBuilder;
import com.google.cloud.spark.bigquery.repackaged.io.grpc.stub.StreamObserver;
import com.google.cloud.spark.bigquery.repackaged.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The BigQuery Storage Read API (gRPC, over TLS as the connector requires) on 127.0.0.1, serving
 * the tables of {@link PgWarehouse}. As in BigQuery, a read session is a snapshot: its rows (the
 * selected columns, the row restriction applied) are read when the session is created, and its one
 * stream returns them, in the format asked for ({@link ReadEncodings}), however late it is read. An
 * empty result has no streams.
 */
final class BqReadServer implements AutoCloseable {
  private static final Pattern TABLE =
      Pattern.compile("projects/([^/]+)/datasets/([^/]+)/tables/([^/]+)");
  private static final Pattern LITERAL = Pattern.compile("'((?:[^'\\\\]|\\\\.)*)'");

  private final Server server;
  private final Map<String, Rows> streams = new ConcurrentHashMap<>();
  private final AtomicInteger sessions = new AtomicInteger();
  private final List<String> restrictions = new CopyOnWriteArrayList<>();

  /** A stream's rows, as Java values of their columns. */
  private record Rows(DataFormat format, List<ReadEncodings.Column> columns, List<Object[]> rows) {}

  private BqReadServer(LoopbackTls tls) throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .sslContext(
                GrpcSslContexts.configure(SslContextBuilder.forServer(tls.keyManagers())).build())
            .addService(new Service())
            .build()
            .start();
  }

  static BqReadServer start(LoopbackTls tls) throws IOException {
    return new BqReadServer(tls);
  }

  /** The connector's {@code bigQueryStorageGrpcEndpoint}. */
  String endpoint() {
    return "127.0.0.1:" + server.getPort();
  }

  /** The row restrictions of the sessions created so far, in order. */
  List<String> restrictions() {
    return List.copyOf(restrictions);
  }

  private final class Service extends BigQueryReadGrpc.BigQueryReadImplBase {
    @Override
    public void createReadSession(
        CreateReadSessionRequest request, StreamObserver<ReadSession> out) {
      ReadSession requested = request.getReadSession();
      try {
        DataFormat format = requested.getDataFormat();
        if (format != DataFormat.AVRO && format != DataFormat.ARROW) {
          throw new IllegalArgumentException("no such data format: " + format);
        }
        Matcher t = TABLE.matcher(requested.getTable());
        if (!t.matches()) {
          throw new IllegalArgumentException("not a table path: " + requested.getTable());
        }
        String restriction = requested.getReadOptions().getRowRestriction();
        restrictions.add(restriction);
        List<String> selected = requested.getReadOptions().getSelectedFieldsList();
        String name =
            "projects/" + t.group(1) + "/locations/us/sessions/s" + sessions.incrementAndGet();
        ReadSession.Builder session = requested.toBuilder().setName(name);
        try (Connection c = PgWarehouse.connect()) {
          List<ReadEncodings.Column> columns = columns(c, t.group(2), t.group(3), selected);
          if (format == DataFormat.AVRO) {
            session.setAvroSchema(
                AvroSchema.newBuilder().setSchema(ReadEncodings.avroSchema(columns).toString()));
          } else {
            session.setArrowSchema(
                ArrowSchema.newBuilder()
                    .setSerializedSchema(ByteString.copyFrom(ReadEncodings.arrowSchema(columns))));
          }
          Rows rows =
              new Rows(format, columns, read(c, t.group(2), t.group(3), columns, restriction));
          if (!rows.rows().isEmpty()) {
            String stream = name + "/streams/0";
            streams.put(stream, rows);
            session.addStreams(ReadStream.newBuilder().setName(stream));
          }
        }
        out.onNext(session.build());
        out.onCompleted();
      } catch (Exception e) {
        out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      }
    }

    @Override
    public void readRows(ReadRowsRequest request, StreamObserver<ReadRowsResponse> out) {
      Rows rows = streams.get(request.getReadStream());
      if (rows == null) {
        out.onError(Status.NOT_FOUND.withDescription(request.getReadStream()).asRuntimeException());
        return;
      }
      List<Object[]> rest = rows.rows().subList((int) request.getOffset(), rows.rows().size());
      ReadRowsResponse.Builder response = ReadRowsResponse.newBuilder().setRowCount(rest.size());
      try {
        if (rows.format() == DataFormat.AVRO) {
          response.setAvroRows(
              AvroRows.newBuilder()
                  .setSerializedBinaryRows(
                      ByteString.copyFrom(ReadEncodings.avroRows(rows.columns(), rest)))
                  .setRowCount(rest.size()));
        } else {
          response.setArrowRecordBatch(
              ArrowRecordBatch.newBuilder()
                  .setSerializedRecordBatch(
                      ByteString.copyFrom(ReadEncodings.arrowBatch(rows.columns(), rest)))
                  .setRowCount(rest.size()));
        }
      } catch (IOException e) {
        out.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
        return;
      }
      out.onNext(response.build());
      out.onCompleted();
    }
  }

  /** The selected columns (all, if none), in the table's order. */
  private static List<ReadEncodings.Column> columns(
      Connection c, String dataset, String table, List<String> selected) throws SQLException {
    List<String[]> all = PgWarehouse.columns(c, dataset, table);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("Not found: Table " + dataset + "." + table);
    }
    List<ReadEncodings.Column> out = new ArrayList<>();
    for (String[] col : all) {
      if (selected.isEmpty() || selected.contains(col[0])) {
        out.add(new ReadEncodings.Column(col[0], col[1], col[2].equals("YES")));
      }
    }
    return out;
  }

  private static List<Object[]> read(
      Connection c,
      String dataset,
      String table,
      List<ReadEncodings.Column> columns,
      String restriction)
      throws SQLException {
    List<String> cols = new ArrayList<>();
    columns.forEach(col -> cols.add("\"" + col.name() + "\""));
    String sql =
        "SELECT "
            + String.join(", ", cols)
            + " FROM "
            + PgWarehouse.pgName(dataset, table)
            + (restriction.isBlank() ? "" : " WHERE " + restriction(restriction));
    List<Object[]> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        Object[] row = new Object[cols.size()];
        for (int i = 0; i < row.length; i++) {
          row[i] = value(rs, i + 1);
        }
        out.add(row);
      }
    }
    return out;
  }

  private static Object value(ResultSet rs, int i) throws SQLException {
    Object v = rs.getObject(i);
    if (v == null) {
      return null;
    }
    String type = rs.getMetaData().getColumnTypeName(i);
    return switch (type) {
      case "timestamptz" -> BqScript.micros(rs.getObject(i, OffsetDateTime.class).toInstant());
      case "date" -> (int) rs.getObject(i, LocalDate.class).toEpochDay();
      case "int4" -> ((Number) v).longValue();
      case "jsonb", "text" -> rs.getString(i);
      default -> v;
    };
  }

  /** A row restriction in PostgreSQL: backticked names quoted, GoogleSQL strings as E'...'. */
  static String restriction(String googleSql) {
    String s = googleSql.replaceAll("`([^`]*)`", "\"$1\"");
    Matcher m = LITERAL.matcher(s);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(b, Matcher.quoteReplacement("E'" + m.group(1) + "'"));
    }
    m.appendTail(b);
    return b.toString();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
