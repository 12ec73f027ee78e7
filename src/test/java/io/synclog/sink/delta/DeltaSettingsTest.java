package io.synclog.sink.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.config.TargetKeys;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Delta's target settings, parsed from a plain map: every default pinned, then each key. */
class DeltaSettingsTest {
  @Test
  void defaultsAreTablesByPathUnderTheDemoFolder() {
    DeltaSettings s = DeltaSettings.from(TargetKeys.of(Map.of()));
    DeltaSettings expected =
        new DeltaSettings(false, "warehouse", null, "sync_audit", false, false, "auto", 20);
    System.out.println("expected: " + expected + "\nactual:   " + s);
    assertThat(s).isEqualTo(expected);
    assertThat(s.features(true))
        .as("deletion vectors by default where synclog commits to the log itself")
        .isEqualTo(new DeltaFeatures(false, false, true));
    assertThat(s.features(false)).isEqualTo(new DeltaFeatures(false, false, false));
  }

  @Test
  void databricksTablesByNameWithEveryFeatureKey() {
    DeltaSettings s =
        DeltaSettings.from(
            TargetKeys.of(
                Map.of(
                    "target.kind", "databricks",
                    "target.catalog", "main",
                    "target.schema", "audit",
                    "target.liquid-clustering", "true",
                    "target.change-data-feed", "true",
                    "target.deletion-vectors", "auto",
                    "target.snapshot-rewrite-runs", "5")));
    DeltaSettings expected =
        new DeltaSettings(true, "warehouse", "main", "audit", true, true, "auto", 5);
    System.out.println("expected: " + expected + "\nactual:   " + s);
    assertThat(s).isEqualTo(expected);
    assertThat(s.features(true))
        .as("auto leaves deletion vectors to Databricks' own defaults for tables by name")
        .isEqualTo(new DeltaFeatures(true, true, false));
    assertThat(
            DeltaSettings.from(TargetKeys.of(Map.of("target.deletion-vectors", "true")))
                .features(false)
                .deletionVectors())
        .isTrue();
  }
}
