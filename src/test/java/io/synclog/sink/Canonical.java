package io.synclog.sink;

import static io.synclog.plan.Columns.FIELDS;
import static io.synclog.plan.Columns.SPLIT_GROUP;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.synclog.log.LogTables;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The rows of a log table as sink-independent strings: the reference's columns and synclog's extras
 * in a fixed order ("a|b|c"), {@code fields} parsed and re-written with sorted keys (jsonb
 * re-orders keys and re-spaces values), timestamps as UTC instants, and {@code recorded_at} (the
 * wall-clock time of writing) left out.
 */
public final class Canonical {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private Canonical() {}

  public static List<String> lines(Dataset<Row> rows, String table) {
    boolean splits = Arrays.asList(rows.columns()).contains(SPLIT_GROUP);
    StructType schema =
        switch (table) {
          case LogTables.CHANGELOG -> LogTables.changelogSchema(splits);
          case LogTables.SNAPSHOT -> LogTables.snapshotSchema(splits);
          default -> LogTables.runsSchema();
        };
    List<String> columns = new ArrayList<>();
    for (StructField f : schema.fields()) {
      if (!f.name().equals("recorded_at")) {
        columns.add(f.name());
      }
    }
    List<String> out = new ArrayList<>();
    for (Row r : rows.selectExpr(columns.toArray(new String[0])).collectAsList()) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < r.length(); i++) {
        Object v = r.get(i);
        if (v == null) {
          cells.add("null");
        } else if (columns.get(i).equals(FIELDS)) {
          cells.add(json((String) v));
        } else if (v instanceof Timestamp t) {
          cells.add(t.toInstant().toString());
        } else {
          cells.add(String.valueOf(v));
        }
      }
      out.add(String.join("|", cells));
    }
    out.sort(null);
    return out;
  }

  /** JSON text with object keys sorted and no insignificant whitespace. */
  public static String json(String text) {
    try {
      return JSON.writeValueAsString(JSON.readValue(text, Object.class));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + text, e);
    }
  }
}
