package io.synclog.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies a folder of tables, so a test can start from a history another test recorded. */
public final class Folders {
  private Folders() {}

  /** Copies {@code from} and everything under it to {@code to}, which must not exist. */
  public static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }
}
