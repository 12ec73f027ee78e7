package io.synclog.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared query texts and their binding, without Spark. */
class AuditQueriesTest {

  @Test
  void everyQueryHasItsResourceAndNamesOnlyKnownRelations() {
    for (String name : AuditQueries.NAMES) {
      String sql = AuditQueries.text(name);
      assertThat(sql).as(name).startsWith("--").containsIgnoringCase("SELECT");
      String code = AuditQueries.stripComments(sql);
      assertThat(code).as(name + " must not end with ';'").doesNotEndWith(";");
      // Every FROM/JOIN of a relation name gives it an alias, so it can be bound to a subquery.
      for (String relation : AuditQueries.relationsOf(sql)) {
        assertThat(code)
            .as(name + ": every use of " + relation + " has an alias")
            .doesNotContainPattern(relation + "\\s*(\\)|$|\\bWHERE\\b|\\bON\\b|\\bJOIN\\b)");
      }
    }
    assertThat(AuditQueries.relationsOf(AuditQueries.text("membership_history")))
        .containsExactly("sync_changelog", "sync_runs");
    assertThat(AuditQueries.relationsOf(AuditQueries.text("errors_by_category")))
        .containsExactly("sync_changelog", AuditQueries.ERROR_RULES);
    assertThat(AuditQueries.relationsOf(AuditQueries.text(AuditQueries.ERROR_RULES))).isEmpty();
  }

  @Test
  void bindReplacesWholeRelationNamesOnlyAndDropsCommentLines() {
    String sql =
        """
        -- counts sync_runs per sync_changelog row
        SELECT r.sync_run_id, x.sync_runs_total
        FROM sync_runs r JOIN sync_changelog c ON c.sync_id = r.sync_id
        JOIN other.sync_runs o ON o.sync_id = r.sync_id""";
    String bound =
        AuditQueries.bind(
            sql,
            Map.of(
                "sync_runs",
                AuditQueries.deltaPath("/w/sync_audit/sync_runs"),
                "sync_changelog",
                "(SELECT * FROM t WHERE sync_id = 'a')"));
    assertThat(bound)
        .isEqualTo(
            """
            SELECT r.sync_run_id, x.sync_runs_total
            FROM delta.`/w/sync_audit/sync_runs` r JOIN (SELECT * FROM t WHERE sync_id = 'a') c\
             ON c.sync_id = r.sync_id
            JOIN other.sync_runs o ON o.sync_id = r.sync_id""");
  }

  @Test
  void literalsAndPathsAreQuoted() {
    assertThat(AuditQueries.literal("it's a\\b")).isEqualTo("'it\\'s a\\\\b'");
    assertThat(AuditQueries.deltaPath("/a`b")).isEqualTo("delta.`/a``b`");
    assertThatThrownBy(() -> AuditQueries.text("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("No query named 'nope'");
  }
}
