package io.synclog.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.config.ConfigSources;
import io.synclog.config.SyncConfig;
import io.synclog.error.SyncLogException;
import io.synclog.sink.LogSink;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The schema check names what changed instead of printing both column lists. */
class SchemaChangeTest {
  private static final String BEFORE = "id BIGINT,email STRING,plan STRING,score INT";
  private static final String AFTER = "id STRING,email STRING,score INT,country STRING";

  @Test
  void describesAddedDroppedAndRetypedColumns() {
    assertThat(Planning.describeChange(BEFORE, AFTER))
        .isEqualTo("retyped id bigint -> string, added country string, dropped plan");
  }

  @Test
  void refusalNamesTheChangedColumnsOnly() {
    SyncConfig config = config(Map.of("model.on-schema-change", "fail"));
    assertThatThrownBy(() -> Planning.checkSchema(config, sinkRemembering(BEFORE), AFTER))
        .isInstanceOfSatisfying(
            SyncLogException.class,
            e -> {
              assertThat(e.code()).isEqualTo("MODEL_SCHEMA_CHANGED");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "Cannot record sync 'crm', run 'r2': the model's columns changed since the"
                          + " last run (retyped id bigint -> string, added country string,"
                          + " dropped plan) and model.on-schema-change=fail. Set"
                          + " model.on-schema-change=resync to plan every row whose fields"
                          + " changed (all rows, when a column was added or dropped).");
            });
  }

  @Test
  void sameColumnsPassAndResyncOnlyWarns() {
    Planning.checkSchema(
        config(Map.of("model.on-schema-change", "fail")), sinkRemembering(BEFORE), BEFORE);
    Planning.checkSchema(config(Map.of()), sinkRemembering(BEFORE), AFTER);
  }

  private static SyncConfig config(Map<String, String> extra) {
    Map<String, String> keys = new java.util.HashMap<>(extra);
    keys.put("sync.id", "crm");
    keys.put("run.id", "r2");
    keys.put("model.id", "m");
    keys.put("model.primary-key", "id");
    keys.put("model.path", "/tmp/model");
    keys.put("statuses.path", "/tmp/statuses");
    keys.put("target.location", "/tmp/warehouse");
    return SyncConfig.resolve(ConfigSources.ofCommandLine(keys), SyncConfig.Need.RUN);
  }

  /** A sink that only remembers the sync's last model schema. */
  private static LogSink sinkRemembering(String schema) {
    return (LogSink)
        Proxy.newProxyInstance(
            LogSink.class.getClassLoader(),
            new Class<?>[] {LogSink.class},
            (proxy, method, args) -> {
              if (method.getName().equals("lastModelSchema")) {
                return Optional.of(schema);
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
