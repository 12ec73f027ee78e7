package io.synclog.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.error.SyncLogException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a batch manifest: pairs, quotes, config files beside it, and each mistake named. */
class BatchManifestTest {
  @TempDir Path dir;

  private Path manifest(String... lines) throws Exception {
    Path file = dir.resolve("runs.manifest");
    Files.writeString(file, String.join("\n", lines));
    return file;
  }

  @Test
  void eachLineIsARunWithItsConfigFileReadFromBesideTheManifest() throws Exception {
    Files.createDirectories(dir.resolve("syncs"));
    Files.writeString(dir.resolve("syncs/crm.properties"), "sync.id=crm\nmodel.id=m1\n");
    Path file =
        manifest(
            "# the hour's runs",
            "",
            "config=syncs/crm.properties run.id=r-1 statuses.path=/landing/crm/r-1",
            "  sync.id=ads --run.id=r-1 statuses.path=\"/landing/ads audience/say \\\"hi\\\"\"  ",
            "sync.id=x run.id=a=b");
    BatchManifest m = BatchManifest.read(file);
    assertThat(m.entries()).extracting(BatchManifest.Entry::line).containsExactly(3, 4, 5);
    BatchManifest.Entry crm = m.entries().get(0);
    assertThat(crm.configFile()).isEqualTo(Map.of("sync.id", "crm", "model.id", "m1"));
    assertThat(crm.settings())
        .isEqualTo(Map.of("run.id", "r-1", "statuses.path", "/landing/crm/r-1"));
    BatchManifest.Entry ads = m.entries().get(1);
    assertThat(ads.configFile()).isEmpty();
    assertThat(ads.settings())
        .as("quoted value with spaces and escaped quotes; a leading -- is dropped")
        .isEqualTo(
            Map.of(
                "sync.id", "ads",
                "run.id", "r-1",
                "statuses.path", "/landing/ads audience/say \"hi\""));
    assertThat(m.entries().get(2).settings()).containsEntry("run.id", "a=b");
  }

  @Test
  void mistakesNameTheManifestAndLine() throws Exception {
    List<List<String>> cases =
        List.of(
            List.of("run.id=r1 statuses.path", "line 1", "'statuses.path' is not a key=value pair"),
            List.of("=r1", "line 1", "'=r1' is not a key=value pair"),
            List.of("# only\n\nrun.id=r1 run.id=r2", "line 3", "'run.id' is given twice"),
            List.of("sync.id=\"open", "line 1", "the quote after 'sync.id=' is not closed"),
            List.of("sync.id=\"a\"b", "line 1", "the quoted value of 'sync.id' runs into"),
            List.of("config=nowhere.properties", "line 1", "nowhere.properties' does not exist"),
            List.of("# nothing\n", "runs.manifest'", "it lists no runs"));
    for (List<String> c : cases) {
      Path file = manifest(c.get(0));
      assertThatThrownBy(() -> BatchManifest.read(file))
          .as(c.get(0))
          .isInstanceOf(SyncLogException.class)
          .hasMessageContaining(c.get(1))
          .hasMessageContaining(c.get(2))
          .hasMessageContaining("config=crm.properties run.id=run-0042")
          .extracting(e -> ((SyncLogException) e).code())
          .isEqualTo("BATCH_MANIFEST");
    }
    assertThatThrownBy(() -> BatchManifest.read(dir.resolve("missing.manifest")))
        .isInstanceOf(SyncLogException.class)
        .hasMessageContaining("Cannot read batch manifest")
        .hasMessageContaining("missing.manifest");
  }
}
