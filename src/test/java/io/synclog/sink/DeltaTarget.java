package io.synclog.sink;

import io.delta.tables.DeltaTable;
import io.synclog.testing.SparkExtension;
import java.util.List;
import java.util.Map;

/** Delta tables under a folder per namespace. */
public final class DeltaTarget implements SinkTarget {
  public static final DeltaTarget INSTANCE = new DeltaTarget();

  private DeltaTarget() {}

  @Override
  public String kind() {
    return "delta";
  }

  private static String location(String namespace) {
    return References.dir().resolve(namespace).resolve("warehouse").toString();
  }

  @Override
  public Map<String, String> settings(String namespace) {
    return Map.of("target.kind", "delta", "target.location", location(namespace));
  }

  @Override
  public Map<String, String> secrets() {
    return Map.of();
  }

  @Override
  public List<String> rows(String namespace, String table) {
    String path = location(namespace) + "/sync_audit/" + table;
    if (!DeltaTable.isDeltaTable(SparkExtension.spark(), path)) {
      return List.of();
    }
    return Canonical.lines(SparkExtension.spark().read().format("delta").load(path), table);
  }

  @Override
  public List<String> leftovers(String namespace) {
    return List.of();
  }
}
