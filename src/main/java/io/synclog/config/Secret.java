package io.synclog.config;

/** A secret value. Its {@link #toString()} is masked, so it cannot leak into a log by accident. */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  /** The clear value, for the one call that needs it (a JDBC connection, say). */
  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "****";
  }
}
