package io.synclog.report;

import static io.synclog.views.AuditScenario.CRM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.synclog.testing.SparkExtension;
import io.synclog.views.AuditScenario;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the report in headless Chromium, offline, and checks that its script drew every chart.
 * Keeps target/report.html and target/report-screenshot.png for people to look at. Skipped, with
 * the way to install it, where Chromium is absent.
 */
@ExtendWith(SparkExtension.class)
class ReportBrowserTest {
  private static final String INSTALL =
      "Chromium not found (looked for $CHROMIUM, chromium, chromium-browser, google-chrome on"
          + " PATH): install it to run this test, on Debian/Ubuntu with"
          + " 'apt-get update && apt-get install -y chromium'.";

  @Test
  void everyChartIsDrawnOffline(@TempDir Path profile) throws Exception {
    Optional<String> chromium = chromium();
    assumeTrue(chromium.isPresent(), INSTALL);
    Path page = Path.of("target/report.html").toAbsolutePath();
    ReportData data =
        ReportJob.run(
            SparkExtension.spark(),
            AuditScenario.get().config(Map.of()),
            CRM,
            10,
            page,
            new PrintStream(System.out, true, StandardCharsets.UTF_8));

    String dom = browse(chromium.get(), profile, page, "--dump-dom");
    assertThat(dom).contains("data-charts-rendered=\"4\"");
    int runBars = data.runs().size() * 3;
    assertThat(bars(dom, "chart-runs")).isEqualTo(runBars).isEqualTo(15);
    assertThat(bars(dom, "chart-categories")).isEqualTo(data.categories().size()).isEqualTo(4);
    assertThat(bars(dom, "chart-rows")).isEqualTo(data.topRows().size()).isEqualTo(7);
    assertThat(bars(dom, "chart-membership")).isEqualTo(data.membership().size() * 2);
    assertThat(count(dom, "<rect class=\"bar\"|<rect [^>]*class=\"bar\""))
        .as("SVG bars in the rendered DOM")
        .isEqualTo(15 + 4 + 7 + 10);

    Path screenshot = Path.of("target/report-screenshot.png").toAbsolutePath();
    Files.deleteIfExists(screenshot);
    browse(
        chromium.get(),
        profile,
        page,
        "--screenshot=" + screenshot,
        "--window-size=1280,2000",
        "--hide-scrollbars");
    assertThat(screenshot).exists();
    byte[] png = Files.readAllBytes(screenshot);
    assertThat(png.length).as("screenshot size").isGreaterThan(20_000);
    assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
  }

  /** The data-bars attribute the script set on a chart, or -1 when it did not render. */
  private static int bars(String dom, String id) {
    Matcher figure = Pattern.compile("<figure[^>]*id=\"" + id + "\"[^>]*>").matcher(dom);
    assertThat(figure.find()).as(id + " is in the page").isTrue();
    String tag = figure.group();
    assertThat(tag).as(id + " was rendered").contains("data-rendered=\"true\"");
    Matcher bars = Pattern.compile("data-bars=\"(\\d+)\"").matcher(tag);
    return bars.find() ? Integer.parseInt(bars.group(1)) : -1;
  }

  private static int count(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static String browse(String chromium, Path profile, Path page, String... extra)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile));
    command.addAll(List.of(extra));
    command.add(page.toUri().toString());
    Path stdout = Files.createTempFile(profile, "chromium", ".out");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("chromium did not finish within 120 s: " + command);
    }
    assertThat(process.exitValue()).as("chromium exit code for " + command).isZero();
    return Files.readString(stdout);
  }

  static Optional<String> chromium() {
    String configured = System.getenv("CHROMIUM");
    if (configured != null && new File(configured).canExecute()) {
      return Optional.of(configured);
    }
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of("chromium", "chromium-browser", "google-chrome")
        .flatMap(name -> Stream.of(path.split(File.pathSeparator)).map(dir -> new File(dir, name)))
        .filter(File::canExecute)
        .map(File::getPath)
        .findFirst();
  }
}
