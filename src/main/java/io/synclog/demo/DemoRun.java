package io.synclog.demo;

import java.util.List;

/**
 * One run of the demo's sync: what happens in it, besides the model's usual adds, changes and
 * removals.
 *
 * @param number 1 for the first run
 * @param story what the run shows, printed before it
 * @param duplicatedIds how many customers come twice in this run's model (a bad join)
 * @param attemptedPercent how far through the run the engine gets: 100 for a complete run
 * @param error the sync-level error of a run cut short, else null
 */
record DemoRun(int number, String story, int duplicatedIds, int attemptedPercent, String error) {

  /** The demo's runs, a day apart, the last one finishing now. */
  static final List<DemoRun> ALL =
      List.of(
          new DemoRun(
              1,
              "first sync: every customer is added; malformed emails are rejected",
              0,
              100,
              null),
          new DemoRun(
              2,
              "changes, sign-ups and churn; failed rows are retried; two customers come twice"
                  + " in the model",
              2,
              100,
              null),
          new DemoRun(
              3,
              "the destination's rate limit stops the engine part-way: the rest is aborted",
              0,
              55,
              "destination rate limit exceeded; run cancelled"),
          new DemoRun(
              4, "recovery: aborted and locked rows are retried and mostly succeed", 0, 100, null));

  String runId() {
    return String.format("run-%04d", number);
  }

  boolean cutShort() {
    return attemptedPercent < 100;
  }
}
