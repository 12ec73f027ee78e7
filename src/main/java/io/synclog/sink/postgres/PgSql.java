package io.synclog.sink.postgres;

import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.SYNC_RUN_ID;

import io.synclog.log.LogTables;
import io.synclog.log.RunRecord;
import io.synclog.sink.warehouse.SqlStatement;
import io.synclog.sink.warehouse.WarehouseNames;
import io.synclog.sink.warehouse.WarehouseSql;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Row;

/** Postgres upserts the runs row with {@code ON CONFLICT}, which every supported version has. */
final class PgSql extends WarehouseSql {
  PgSql(WarehouseNames names) {
    super(names);
  }

  @Override
  public SqlStatement upsertRun(RunRecord run) {
    String[] columns = LogTables.runsSchema().fieldNames();
    List<String> quoted = new ArrayList<>();
    List<String> updates = new ArrayList<>();
    for (String column : columns) {
      quoted.add(c(column));
      if (!column.equals(SYNC_ID) && !column.equals(SYNC_RUN_ID)) {
        updates.add(c(column) + " = EXCLUDED." + c(column));
      }
    }
    Row row = LogTables.runRow(run);
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < row.length(); i++) {
      values.add(row.get(i));
    }
    return new SqlStatement(
        "INSERT INTO "
            + q("runs")
            + " ("
            + String.join(", ", quoted)
            + ") VALUES ("
            + String.join(", ", Collections.nCopies(columns.length, "?"))
            + ") ON CONFLICT ("
            + c(SYNC_ID)
            + ", "
            + c(SYNC_RUN_ID)
            + ") DO UPDATE SET "
            + String.join(", ", updates),
        values);
  }
}
