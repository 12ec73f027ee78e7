package io.synclog.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.config.TargetKeys;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Postgres' target settings, parsed from a plain map. */
class PgTargetTest {
  @Test
  void readsTheUrlUserAndPasswordAndShowsOnlyTheHostAndDatabase() {
    PgTarget t =
        PgTarget.from(
            TargetKeys.of(
                Map.of(
                    "target.kind", "postgres",
                    "target.jdbc-url", "jdbc:postgresql://db.example:5432/audit?ssl=true",
                    "target.user", "synclog",
                    "target.password", "pw-sentinel")));
    assertThat(t.describe()).isEqualTo("db.example:5432/audit");
    assertThat(t.toString()).doesNotContain("pw-sentinel");
    assertThat(t.sparkOptions())
        .containsEntry("url", "jdbc:postgresql://db.example:5432/audit?ssl=true")
        .containsEntry("user", "synclog")
        .containsEntry("password", "pw-sentinel");
  }

  @Test
  void withoutUserOrPasswordTheDriverChooses() {
    PgTarget t = PgTarget.from(TargetKeys.of(Map.of("target.jdbc-url", "jdbc:postgresql://h/db")));
    assertThat(t.sparkOptions()).doesNotContainKeys("user", "password");
  }
}
