package io.synclog.sink.bigquery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Rows of a read stream in the Storage Read API's two formats, as BigQuery encodes its column
 * types: Arrow (the connector's default; a serialized IPC schema message, then record batch
 * messages) and Avro (a JSON schema, then records in Avro's binary encoding, back to back). Values
 * come in as Java values of the column's type: text and JSON as String, INT64 as Long, BOOL as
 * Boolean, FLOAT64 as Double, TIMESTAMP as Long epoch microseconds, DATE as Integer epoch days.
 */
final class ReadEncodings {
  /** A column: its name, PostgreSQL type (as the catalog spells it) and nullability. */
  record Column(String name, String pgType, boolean nullable) {}

  private ReadEncodings() {}

  /** The Avro schema of the columns, as BigQuery gives a session's. */
  static Schema avroSchema(List<Column> columns) {
    SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record("__root__").fields();
    for (Column c : columns) {
      Schema type =
          switch (c.pgType()) {
            case "bigint", "integer" -> Schema.create(Schema.Type.LONG);
            case "boolean" -> Schema.create(Schema.Type.BOOLEAN);
            case "double precision" -> Schema.create(Schema.Type.DOUBLE);
            case "date" -> json("{\"type\":\"int\",\"logicalType\":\"date\"}");
            case "timestamp with time zone" ->
                json("{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}");
            case "jsonb" -> json("{\"type\":\"string\",\"sqlType\":\"JSON\"}");
            case "text" -> Schema.create(Schema.Type.STRING);
            default -> throw new IllegalArgumentException("no Avro type for " + c.pgType());
          };
      Schema field =
          c.nullable() ? Schema.createUnion(Schema.create(Schema.Type.NULL), type) : type;
      fields = fields.name(c.name()).type(field).noDefault();
    }
    return fields.endRecord();
  }

  private static Schema json(String text) {
    return new Schema.Parser().parse(text);
  }

  static byte[] avroRows(List<Column> columns, List<Object[]> rows) throws IOException {
    Schema schema = avroSchema(columns);
    GenericDatumWriter<GenericRecord> writer = new GenericDatumWriter<>(schema);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(bytes, null);
    for (Object[] row : rows) {
      GenericRecord r = new GenericData.Record(schema);
      for (int i = 0; i < row.length; i++) {
        r.put(i, row[i]);
      }
      writer.write(r, enc);
    }
    enc.flush();
    return bytes.toByteArray();
  }

  private static final Map<String, ArrowType> ARROW =
      Map.of(
          "bigint", new ArrowType.Int(64, true),
          "integer", new ArrowType.Int(64, true),
          "boolean", ArrowType.Bool.INSTANCE,
          "double precision", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE),
          "date", new ArrowType.Date(DateUnit.DAY),
          "timestamp with time zone", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"),
          "jsonb", ArrowType.Utf8.INSTANCE,
          "text", ArrowType.Utf8.INSTANCE);

  /** The serialized Arrow schema message of the columns. */
  static byte[] arrowSchema(List<Column> columns) throws IOException {
    return arrow(columns, List.of())[0];
  }

  /** One serialized Arrow record batch message of the rows. */
  static byte[] arrowBatch(List<Column> columns, List<Object[]> rows) throws IOException {
    return arrow(columns, rows)[1];
  }

  private static byte[][] arrow(List<Column> columns, List<Object[]> rows) throws IOException {
    List<Field> fields = new ArrayList<>();
    for (Column c : columns) {
      ArrowType type = ARROW.get(c.pgType());
      if (type == null) {
        throw new IllegalArgumentException("no Arrow type for " + c.pgType());
      }
      fields.add(new Field(c.name(), new FieldType(c.nullable(), type, null), null));
    }
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root =
            VectorSchemaRoot.create(
                new org.apache.arrow.vector.types.pojo.Schema(fields), allocator)) {
      root.allocateNew();
      for (int col = 0; col < columns.size(); col++) {
        FieldVector v = root.getVector(col);
        for (int i = 0; i < rows.size(); i++) {
          set(v, i, rows.get(i)[col]);
        }
        v.setValueCount(rows.size());
      }
      root.setRowCount(rows.size());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, Channels.newChannel(out))) {
        writer.start();
        int schemaEnd = out.size();
        writer.writeBatch();
        byte[] all = out.toByteArray();
        return new byte[][] {
          Arrays.copyOf(all, schemaEnd), Arrays.copyOfRange(all, schemaEnd, all.length)
        };
      }
    }
  }

  private static void set(FieldVector v, int i, Object value) {
    if (value == null) {
      v.setNull(i);
    } else if (v instanceof VarCharVector s) {
      s.setSafe(i, ((String) value).getBytes(StandardCharsets.UTF_8));
    } else if (v instanceof BigIntVector l) {
      l.setSafe(i, (Long) value);
    } else if (v instanceof BitVector b) {
      b.setSafe(i, (Boolean) value ? 1 : 0);
    } else if (v instanceof Float8Vector d) {
      d.setSafe(i, (Double) value);
    } else if (v instanceof DateDayVector d) {
      d.setSafe(i, (Integer) value);
    } else if (v instanceof TimeStampMicroTZVector t) {
      t.setSafe(i, (Long) value);
    } else {
      throw new IllegalArgumentException("no Arrow vector for " + v.getField());
    }
  }
}
