package io.synclog.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The settings synclog gives a Spark session it creates, and the user's that win over them. */
class SparkSessionsTest {
  @Test
  void aSessionSynclogCreatesKeepsEnoughCompiledQueriesForWholeRuns() {
    assertThat(SparkSessions.defaultsUnset(new Properties()))
        .isEqualTo(Map.of("spark.sql.codegen.cache.maxEntries", "1000"));
  }

  @Test
  void aValueTheUserSetIsLeftToSpark() {
    Properties system = new Properties();
    system.setProperty("spark.sql.codegen.cache.maxEntries", "50");
    assertThat(SparkSessions.defaultsUnset(system)).isEmpty();
  }
}
