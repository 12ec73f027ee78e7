package io.synclog.sink;

/** What {@code prune} deleted. */
public record PruneResult(long changelogRows, long runRows) {}
