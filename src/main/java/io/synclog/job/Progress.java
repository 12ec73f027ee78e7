package io.synclog.job;

import java.io.PrintStream;

/**
 * A command's progress for the person watching it: one line per stage. On a terminal the line
 * overwrites itself as the stages pass; elsewhere (a Databricks or scheduler log) each finished
 * stage gets a plain line of its own. The stage log at INFO ({@code --verbose}) says the same in
 * more words.
 */
public interface Progress {
  /** No progress lines: tests, and {@code --verbose}, where the log says it all. */
  Progress NONE =
      new Progress() {
        @Override
        public void started(String label, String stage) {}

        @Override
        public void finished(String label, String stage, double seconds) {}

        @Override
        public void end() {}
      };

  void started(String label, String stage);

  void finished(String label, String stage, double seconds);

  /** Ends an open line, before anything else is printed. */
  void end();

  /** Progress printed to {@code out}, overwriting one line when {@code terminal}. */
  static Progress console(PrintStream out, boolean terminal) {
    return new Progress() {
      private boolean open;

      @Override
      public void started(String label, String stage) {
        if (terminal) {
          line("synclog: " + label + ": " + stage + " ...");
        }
      }

      @Override
      public void finished(String label, String stage, double seconds) {
        String text = String.format("synclog: %s: %s %.1f s", label, stage, seconds);
        if (terminal) {
          line(text);
        } else {
          out.println(text);
        }
      }

      /** Carriage return, the text, then erase what a longer earlier line left. */
      private void line(String text) {
        out.print("\r" + text + "\033[K");
        out.flush();
        open = true;
      }

      @Override
      public void end() {
        if (open) {
          out.println();
          open = false;
        }
      }
    };
  }
}
