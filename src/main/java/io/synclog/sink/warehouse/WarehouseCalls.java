package io.synclog.sink.warehouse;

import io.synclog.error.Errors;
import io.synclog.error.SyncLogException;
import io.synclog.sink.RunLock;
import java.sql.SQLException;
import java.util.function.Function;

/**
 * Every read and write a warehouse sink makes goes through here, so a failure reaches the user as
 * one error that names the table, the sync and the run, with any secret scrubbed from the driver's
 * message. A {@link SyncLogException} raised inside (a lost lock, a run in progress) passes as it
 * is.
 */
public final class WarehouseCalls {
  /** A call to the warehouse. */
  @FunctionalInterface
  public interface Call<T> {
    T call() throws Exception;
  }

  /** The error for a failed action ("read s.t", "write s.t") outside a run's commit. */
  @FunctionalInterface
  public interface Failure {
    SyncLogException of(String action, Throwable cause);
  }

  private final WarehouseNames names;
  private final Failure readFailure;
  private final Failure writeFailure;
  private final Function<Exception, Throwable> scrub;

  /**
   * @param scrub the error with every secret removed from its messages
   */
  public WarehouseCalls(
      WarehouseNames names,
      Failure readFailure,
      Failure writeFailure,
      Function<Exception, Throwable> scrub) {
    this.names = names;
    this.readFailure = readFailure;
    this.writeFailure = writeFailure;
    this.scrub = scrub;
  }

  /** Failures as {@link Errors#warehouseFailed}, with one hint for reads and writes alike. */
  public static WarehouseCalls of(
      WarehouseNames names, String where, String hint, Function<Exception, Throwable> scrub) {
    Failure failure =
        (action, cause) ->
            Errors.warehouseFailed(names.dialect().warehouse(), action, where, hint, cause);
    return new WarehouseCalls(names, failure, failure, scrub);
  }

  public <T> T reading(String logical, Call<T> call) {
    return guarded("read " + names.display(logical), readFailure, call);
  }

  /**
   * @param lock the run whose write this is, or null for writes outside a run (tables, prune)
   */
  public <T> T writing(String logical, RunLock lock, Call<T> call) {
    String table = names.display(logical);
    Failure failure =
        lock == null
            ? writeFailure
            : (action, cause) -> Errors.writeFailed(lock.run(), table, cause);
    return guarded("write " + table, failure, call);
  }

  /**
   * A write outside the tables (views over them, in another schema): a failure names what was being
   * created, with secrets scrubbed.
   *
   * @param what what is created, for messages: "views in hightouch_audit"
   */
  public <T> T creating(String what, Call<T> call) {
    return guarded("create " + what, writeFailure, call);
  }

  /** Runs {@code call}; a failure other than synclog's own becomes {@code failure}, scrubbed. */
  private <T> T guarded(String action, Failure failure, Call<T> call) {
    try {
      return call.call();
    } catch (SyncLogException e) {
      throw e;
    } catch (Exception e) {
      interruptedAgain(e);
      throw failure.of(action, scrub.apply(e));
    }
  }

  /**
   * A copy of a driver error whose message cannot contain the secret (masked as {@code ****}, the
   * SQL state kept), or the error itself when its message does not hold it.
   */
  public static SQLException scrub(SQLException e, String secret) {
    if (secret == null || secret.isEmpty()) {
      return e;
    }
    String m = String.valueOf(e.getMessage());
    if (!m.contains(secret)) {
      return e;
    }
    return new SQLException(m.replace(secret, "****"), e.getSQLState());
  }

  private static void interruptedAgain(Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
  }
}
