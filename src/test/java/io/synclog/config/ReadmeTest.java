package io.synclog.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The documentation: the configuration page documents every setting, the README's quick start stays
 * two commands, the README stays a short front door linking every page, and no relative link is
 * broken.
 */
class ReadmeTest {
  private static final Path README = Path.of("README.md");
  private static final Path PAGES = Path.of("src/site/markdown");
  private static final Path CONFIGURATION = PAGES.resolve("configuration.md");

  /** A Markdown link or image: {@code [text](target)} or {@code [text](target "title")}. */
  private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?");

  private static String readme() throws Exception {
    return Files.readString(README);
  }

  @Test
  void everyConfigKeyIsInTheConfigurationTableWithItsDefault() throws Exception {
    String configuration = Files.readString(CONFIGURATION);
    for (ConfigKey key : ConfigKeys.ALL.values()) {
      String row =
          "| `"
              + key.name()
              + "` | "
              + (key.defaultValue() == null ? "" : "`" + key.defaultValue() + "`")
              + " |";
      assertThat(configuration).as(CONFIGURATION + " row for " + key.name()).contains(row);
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

  @Test
  void readmeIsShortAndLinksEveryPageAndNoLocalLinkIsBroken() throws Exception {
    assertThat(Files.readAllLines(README)).as("lines of README.md").hasSizeLessThanOrEqualTo(400);

    List<Path> pages;
    try (Stream<Path> files = Files.walk(PAGES)) {
      pages = files.filter(p -> p.toString().endsWith(".md")).sorted().toList();
    }
    assertThat(pages).as("pages under " + PAGES).isNotEmpty();

    Set<Path> linkedFromReadme =
        localLinks(README).stream().map(ReadmeTest::normalize).collect(Collectors.toSet());
    List<Path> unlinked =
        pages.stream().filter(page -> !linkedFromReadme.contains(normalize(page))).toList();

    List<String> broken = new ArrayList<>();
    List<Path> documents = new ArrayList<>(pages);
    documents.add(0, README);
    for (Path document : documents) {
      for (Path target : localLinks(document)) {
        if (!Files.exists(target)) {
          broken.add(document + " -> " + Path.of("").toAbsolutePath().relativize(target));
        }
      }
    }
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(unlinked).as("pages not linked from README.md").isEmpty();
    soft.assertThat(broken).as("relative links to files that do not exist").isEmpty();
    soft.assertAll();
  }

  /**
   * The local files a Markdown document links to, resolved against its folder, without their {@code
   * #anchor}. Links with a scheme (https:, mailto:), anchors within the document and anything
   * inside fenced code blocks are left out.
   */
  private static List<Path> localLinks(Path document) throws Exception {
    StringBuilder prose = new StringBuilder();
    boolean inFence = false;
    for (String line : Files.readAllLines(document)) {
      if (line.strip().startsWith("```")) {
        inFence = !inFence;
        continue;
      }
      if (!inFence) {
        prose.append(line).append('\n');
      }
    }
    Path folder = document.toAbsolutePath().getParent();
    List<Path> links = new ArrayList<>();
    Matcher m = LINK.matcher(prose);
    while (m.find()) {
      String target = m.group(1);
      if (target.startsWith("#") || target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
        continue;
      }
      int hash = target.indexOf('#');
      if (hash >= 0) {
        target = target.substring(0, hash);
      }
      links.add(folder.resolve(target));
    }
    return links;
  }

  private static Path normalize(Path path) {
    return path.toAbsolutePath().normalize();
  }
}
