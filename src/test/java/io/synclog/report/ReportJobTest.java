package io.synclog.report;

import static io.synclog.views.AuditScenario.CRM;
import static io.synclog.views.AuditScenario.INVALID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synclog.error.SyncLogException;
import io.synclog.testing.SparkExtension;
import io.synclog.views.AuditScenario;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The report's numbers over real runs, and the page it writes. */
@ExtendWith(SparkExtension.class)
class ReportJobTest {
  private static final AuditScenario SCENARIO = AuditScenario.get();

  @Test
  void collectsTheLatestRunsOfOneSync() {
    ReportData data = ReportJob.collect(SparkExtension.spark(), SCENARIO.config(Map.of()), CRM, 3);
    assertThat(data.modelName()).isEqualTo("model " + CRM);
    assertThat(data.destination()).isEqualTo("Salesforce");
    assertThat(data.runs())
        .extracting(
            r ->
                r.runId()
                    + "|"
                    + r.planned()
                    + "|"
                    + r.succeeded()
                    + "|"
                    + r.failed()
                    + "|"
                    + r.aborted())
        .containsExactly("run-3|5|3|2|0", "run-4|5|2|2|1", "run-5|6|3|3|0");
    // Only runs 3 to 5 count; the categories use the rules of error_rules.sql.
    assertThat(data.categories())
        .extracting(c -> c.category() + "|" + c.failures())
        .containsExactly("invalid email|4", "rate limited|1", "record locked|1", "uncategorized|1");
    assertThat(data.topRows().get(0))
        .extracting(
            ReportData.FailingRow::rowId,
            ReportData.FailingRow::failures,
            ReportData.FailingRow::latestReason)
        .containsExactly("3", 3L, INVALID);
    // The member count runs over the whole history, though only the latest runs are shown.
    assertThat(data.membership())
        .extracting(
            m -> m.runId() + "|" + m.entered() + "|" + m.exited() + "|" + m.membersAfterRun())
        .containsExactly("run-3|1|1|9", "run-4|1|1|10", "run-5|0|0|10");
  }

  @Test
  void writesASelfContainedPage(@TempDir Path dir) throws Exception {
    Path output = dir.resolve("reports/crm.html");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ReportJob.run(
        SparkExtension.spark(),
        SCENARIO.config(Map.of()),
        CRM,
        ReportJob.RUNS_DEFAULT,
        output,
        new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "synclog: wrote the report of sync 'crm-contacts' (5 run(s)) to " + output + "\n");
    String html = Files.readString(output);
    assertThat(html)
        .startsWith("<!doctype html>")
        .contains(
            "<figure class=\"chart\" id=\"chart-runs\">",
            "id=\"chart-categories\"",
            "id=\"chart-rows\"",
            "id=\"chart-membership\"",
            "<td>invalid email</td>")
        .doesNotContain("<link", "@import", "src=\"http", "href=\"http", "url(");
    JsonNode json = new ObjectMapper().readTree(scriptData(html));
    assertThat(json.get("runs")).hasSize(5);
    assertThat(json.get("membership").get(4).get("members").asLong()).isEqualTo(10L);
    assertThat(json.get("topRows").get(0).get("row").asText()).isEqualTo("3");
  }

  @Test
  void aSyncWithoutRunsIsRefusedByName() {
    assertThatThrownBy(
            () -> ReportJob.collect(SparkExtension.spark(), SCENARIO.config(Map.of()), "nope", 5))
        .isInstanceOf(SyncLogException.class)
        .hasMessageContaining("Cannot write a report for sync 'nope'")
        .hasMessageContaining("holds no run of it");
    assertThatThrownBy(
            () -> ReportJob.collect(SparkExtension.spark(), SCENARIO.config(Map.of()), CRM, 0))
        .isInstanceOf(SyncLogException.class)
        .hasMessageContaining("use --runs 1 or more");
  }

  @Test
  void valuesCannotBreakOutOfThePage() throws Exception {
    String evil = "</script><img src=x onerror=alert(1)>";
    ReportData data =
        new ReportData(
            "s<1>",
            "m",
            "d",
            Instant.parse("2026-01-01T00:00:00Z"),
            "/w",
            List.of(),
            List.of(new ReportData.Category(evil, 1, 1, evil)),
            List.of(),
            List.of());
    String html = ReportPage.render(data);
    assertThat(html).doesNotContain(evil).contains("&lt;/script&gt;&lt;img", "<\\/script>");
    assertThat(
            new ObjectMapper()
                .readTree(scriptData(html))
                .get("categories")
                .get(0)
                .get("category")
                .asText())
        .isEqualTo(evil);
    assertThat(html).contains("<title>synclog report: sync s&lt;1&gt;</title>");
  }

  static String scriptData(String html) {
    Matcher m =
        Pattern.compile(
                "<script type=\"application/json\" id=\"report-data\">(.*?)</script>",
                Pattern.DOTALL)
            .matcher(html);
    assertThat(m.find()).as("the page embeds its data").isTrue();
    return m.group(1);
  }
}
