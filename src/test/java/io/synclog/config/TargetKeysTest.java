package io.synclog.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keys for settings tests: a plain map over the defaults, secrets kept apart and masked. */
class TargetKeysTest {
  @Test
  void aPlainMapOverTheDefaultsWithSecretsApart() {
    TargetKeys keys =
        TargetKeys.of(Map.of("target.schema", "audit", "target.password", "s3cret-sentinel"));
    assertThat(keys.schema()).isEqualTo("audit");
    assertThat(keys.get(ConfigKeys.TARGET_KIND)).isEqualTo("delta");
    assertThat(keys.get(ConfigKeys.TARGET_CATALOG)).isNull();
    assertThat(keys.optional(ConfigKeys.TARGET_CATALOG)).isEmpty();
    assertThat(keys.get(ConfigKeys.TARGET_PASSWORD)).as("a secret is no plain value").isNull();
    assertThat(keys.secret(ConfigKeys.TARGET_PASSWORD).orElseThrow().reveal())
        .isEqualTo("s3cret-sentinel");
    assertThat(keys.secret(ConfigKeys.TARGET_PASSWORD).orElseThrow().toString())
        .doesNotContain("s3cret-sentinel");
  }

  @Test
  void theResolvedConfigurationReadsTheSameKeys() {
    SyncConfig config =
        SyncConfig.resolve(
            new ConfigSources(Map.of(), Map.of(), Map.of(), Map.of("target.schema", "audit")),
            SyncConfig.Need.TARGET);
    TargetKeys keys = TargetKeys.of(Map.of("target.schema", "audit"));
    for (ConfigKey key : ConfigKeys.ALL.values()) {
      assertThat(config.get(key)).as(key.name()).isEqualTo(keys.get(key));
    }
  }
}
