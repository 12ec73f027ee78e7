package io.synclog.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README documents every setting, and its quick start stays two commands. */
class ReadmeTest {
  private static String readme() throws Exception {
    return Files.readString(Path.of("README.md"));
  }

  @Test
  void everyConfigKeyIsInTheConfigurationTableWithItsDefault() throws Exception {
    String readme = readme();
    for (ConfigKey key : ConfigKeys.ALL.values()) {
      String row =
          "| `"
              + key.name()
              + "` | "
              + (key.defaultValue() == null ? "" : "`" + key.defaultValue() + "`")
              + " |";
      assertThat(readme).as("README row for " + key.name()).contains(row);
    }
  }

  @Test
  void quickStartIsTheDemoThenTheTests() throws Exception {
    String readme = readme();
    String quickStart = readme.substring(readme.indexOf("## Quick start"));
    quickStart = quickStart.substring(0, quickStart.indexOf("\n## ", 5));
    assertThat(quickStart).contains("jobs/demo").contains("mvn -B verify");
    assertThat(Path.of("jobs/demo")).isExecutable();
  }
}
