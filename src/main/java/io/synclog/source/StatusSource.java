package io.synclog.source;

import static io.synclog.plan.Columns.FAILED_REASON;
import static io.synclog.plan.Columns.ROW_ID;
import static io.synclog.plan.Columns.STATUS;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.synclog.config.ConfigKeys;
import io.synclog.config.SyncConfig;
import io.synclog.error.Errors;
import io.synclog.error.SyncLogException;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads the per-row results the sync engine reported for a run: columns {@code row_id}, {@code
 * status} and optionally {@code failed_reason}. Any other column is ignored.
 */
public final class StatusSource {
  private StatusSource() {}

  static final StructType TEXT_SCHEMA =
      new StructType()
          .add(ROW_ID, DataTypes.StringType)
          .add(STATUS, DataTypes.StringType)
          .add(FAILED_REASON, DataTypes.StringType);

  public static InputSpec spec(SyncConfig config) {
    if (config.optional(ConfigKeys.STATUSES_TABLE).isPresent()) {
      return InputSpec.table(config.get(ConfigKeys.STATUSES_TABLE));
    }
    return InputSpec.path(
        config.get(ConfigKeys.STATUSES_PATH), config.get(ConfigKeys.STATUSES_FORMAT));
  }

  public static Dataset<Row> read(SparkSession spark, SyncConfig config) {
    InputSpec spec = spec(config);
    Dataset<Row> raw;
    try {
      raw = Inputs.read(spark, spec, TEXT_SCHEMA);
    } catch (SyncLogException e) {
      throw e;
    } catch (Exception e) {
      throw Errors.unreadableStatuses(config.syncRun(), spec.describe(), e);
    }
    List<String> columns = Arrays.asList(raw.columns());
    for (String required : List.of(ROW_ID, STATUS)) {
      if (!columns.contains(required)) {
        throw Errors.malformedStatuses(
            config.syncRun(),
            spec.describe(),
            "column '" + required + "' is missing (found " + String.join(", ", columns) + ")");
      }
    }
    return raw.select(
        col(ROW_ID).cast("string").as(ROW_ID),
        col(STATUS).cast("string").as(STATUS),
        (columns.contains(FAILED_REASON) ? col(FAILED_REASON) : lit(null))
            .cast("string")
            .as(FAILED_REASON));
  }
}
