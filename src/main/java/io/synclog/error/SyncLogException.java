package io.synclog.error;

/**
 * The one exception type a user sees. Its message says what went wrong, why, and how to fix it, and
 * names the sync, run, table or file concerned. Build instances through {@link Errors}.
 */
public final class SyncLogException extends RuntimeException {
  private final String code;

  SyncLogException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** A stable, short identifier of the problem, for scripts and tests. */
  public String code() {
    return code;
  }

  /**
   * The process exit code for this problem: 2 bad usage, 4 a fault injected on purpose ({@code
   * fault.inject-at}), 1 anything else (bad input or a refusal).
   */
  public int exitCode() {
    return switch (code) {
      case "USAGE" -> 2;
      case Errors.INJECTED_FAULT -> 4;
      default -> 1;
    };
  }
}
