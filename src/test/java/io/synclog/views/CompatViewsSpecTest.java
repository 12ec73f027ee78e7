package io.synclog.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.SyncLogMain;
import io.synclog.error.SyncLogException;
import io.synclog.job.CommandLine;
import io.synclog.log.LogTables;
import io.synclog.sink.TableView;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The Hightouch views' columns against Hightouch's published dbt package and synclog's tables, and
 * the command line of {@code views --compat}; no Spark, no warehouse.
 */
class CompatViewsSpecTest {
  /** The columns the dbt package's source definitions list for each table. */
  private static final Map<String, List<String>> DBT_SOURCES =
      Map.of(
          "sync_changelog",
          List.of(
              "sync_id", "sync_run_id", "row_id", "op_type", "status", "failure_reason", "fields"),
          "sync_snapshot",
          List.of(
              "sync_id", "sync_run_id", "row_id", "op_type", "status", "failure_reason", "fields"),
          "sync_runs",
          runs());

  private static List<String> runs() {
    List<String> columns =
        new ArrayList<>(
            List.of(
                "sync_id",
                "sync_run_id",
                "primary_key",
                "destination",
                "model_name",
                "error",
                "status",
                "started_at",
                "finished_at"));
    for (String kind : List.of("planned", "attempted", "succeeded", "failed")) {
      for (String op : List.of("add", "change", "remove")) {
        columns.add("num_" + kind + "_" + op);
      }
    }
    return columns;
  }

  @Test
  void everyColumnOfTheDbtPackagesSourcesIsInItsView() {
    for (TableView view : HightouchViews.ALL) {
      assertThat(view.columnNames()).as(view.name()).containsAll(DBT_SOURCES.get(view.name()));
    }
    assertThat(HightouchViews.ALL)
        .extracting(TableView::name)
        .containsExactlyInAnyOrderElementsOf(DBT_SOURCES.keySet());
  }

  @Test
  void theTwoNamesThatDifferAreRenamedAndEveryOtherColumnKeepsItsName() {
    List<String> renamed = new ArrayList<>();
    for (TableView view : HightouchViews.ALL) {
      view.columns().stream()
          .filter(TableView.Column::isRenamed)
          .forEach(c -> renamed.add(view.name() + "." + c.source() + "->" + c.name()));
    }
    assertThat(renamed)
        .containsExactly(
            "sync_changelog.failed_reason->failure_reason",
            "sync_snapshot.last_sync_run_id->sync_run_id",
            "sync_snapshot.failed_reason->failure_reason");
  }

  @Test
  void everyViewReadsColumnsItsTableHas() {
    Map<String, StructType> tables =
        Map.of(
            "changelog", LogTables.changelogSchema(true),
            "snapshot", LogTables.snapshotSchema(true),
            "runs", LogTables.runsSchema());
    for (TableView view : HightouchViews.ALL) {
      List<String> has = List.of(tables.get(view.table()).fieldNames());
      assertThat(view.columns()).extracting(TableView.Column::source).allMatch(has::contains);
    }
  }

  @Test
  void theCommandLineTakesCompatAndItsSchemaForViewsOnly() {
    CommandLine cli = CommandLine.parse(new String[] {"views", "--compat", "hightouch"});
    assertThat(cli.compat()).isEqualTo("hightouch");
    assertThat(cli.compatSchema()).isNull();
    assertThat(
            CommandLine.parse(
                    new String[] {"views", "--compat=hightouch", "--compat-schema", "ht", "--a=b"})
                .compatSchema())
        .isEqualTo("ht");
    assertThat(CommandLine.parse(new String[] {"views"}).compat()).isNull();
    assertThatThrownBy(() -> CommandLine.parse(new String[] {"record", "--compat", "hightouch"}))
        .isInstanceOf(SyncLogException.class)
        .hasMessageContaining("--compat is an option of views, not of record.");
    assertThatThrownBy(() -> CommandLine.parse(new String[] {"views", "--compat-schema", "ht"}))
        .hasMessageContaining("--compat-schema goes with --compat");
  }

  @Test
  void anUnknownCompatValueIsAUsageErrorNamingTheAcceptedOnes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        SyncLogMain.run(
            new String[] {"views", "--compat", "census", "--target.password=s3cr3t-value"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("Unknown --compat value 'census'; expected one of hightouch.")
        .doesNotContain("s3cr3t-value");
  }

  @Test
  void helpShowsTheOption() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SyncLogMain.run(
        new String[] {"help"},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        System.err,
        Map.of());
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("--compat hightouch [--compat-schema hightouch_audit]");
  }
}
