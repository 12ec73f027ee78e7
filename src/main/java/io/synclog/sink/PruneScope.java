package io.synclog.sink;

import java.util.Objects;
import java.util.Optional;

/**
 * Whose history {@code prune} deletes: one sync's, or that of every sync in the schema.
 *
 * @param syncId the sync, or null for every sync
 */
public record PruneScope(String syncId) {
  /** Every sync in the schema: {@code prune --all-syncs}. */
  public static final PruneScope ALL_SYNCS = new PruneScope(null);

  /** One sync: {@code prune} with the sync's {@code sync.id}. */
  public static PruneScope sync(String syncId) {
    return new PruneScope(Objects.requireNonNull(syncId, "a pruned sync needs a sync id"));
  }

  /** The one sync pruned, or empty when every sync is. */
  public Optional<String> sync() {
    return Optional.ofNullable(syncId);
  }

  /** {@code sync 'x'} or {@code all syncs}, for messages. */
  @Override
  public String toString() {
    return syncId == null ? "all syncs" : "sync '" + syncId + "'";
  }
}
