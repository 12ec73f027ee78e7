package io.synclog.sink.bigquery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * s3proxy (filesystem backend) as a child JVM on 127.0.0.1, from the self-contained jar the build
 * copies to target/bq-test-tools. Also the Hadoop settings that send {@code gs://} URIs to it
 * through S3A, standing in for the GCS connector of a Dataproc cluster.
 */
final class S3ProxyProcess implements AutoCloseable {
  static final Path JAR = Path.of("target/bq-test-tools/s3proxy.jar");
  static final String IDENTITY = "local-identity";
  static final String CREDENTIAL = "local-credential";

  private final Process process;
  private final int port;
  private final Path root;

  private S3ProxyProcess(Process process, int port, Path root) {
    this.process = process;
    this.port = port;
    this.root = root;
  }

  /** Starts s3proxy with the given buckets (folders of its filesystem store). */
  static S3ProxyProcess start(Path dir, String... buckets)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(
          JAR.toAbsolutePath() + " is missing: run the tests through Maven, which copies it");
    }
    Path root = Files.createDirectories(dir.resolve("s3"));
    for (String b : buckets) {
      Files.createDirectories(root.resolve(b));
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path props = dir.resolve("s3proxy.properties");
    Files.writeString(
        props,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + port,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + IDENTITY,
            "s3proxy.credential=" + CREDENTIAL,
            "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=" + root,
            ""));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-Xmx256m",
                    "-jar",
                    JAR.toString(),
                    "--properties",
                    props.toString()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("s3proxy.log").toFile())
            .start();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
        break;
      } catch (IOException notYet) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw new IllegalStateException(
              "s3proxy did not start: " + Files.readString(dir.resolve("s3proxy.log")));
        }
        Thread.sleep(100);
      }
    }
    return new S3ProxyProcess(p, port, root);
  }

  /** Where an object of a bucket lies in the proxy's store. */
  Path file(String bucket) {
    return root.resolve(bucket);
  }

  /** Hadoop settings: S3A for gs:// URIs, against this proxy. */
  Map<String, String> hadoopSettings() {
    return Map.ofEntries(
        Map.entry("fs.gs.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem"),
        Map.entry("fs.AbstractFileSystem.gs.impl", "org.apache.hadoop.fs.s3a.S3A"),
        Map.entry("fs.gs.impl.disable.cache", "true"),
        Map.entry("fs.s3a.endpoint", "http://127.0.0.1:" + port),
        Map.entry("fs.s3a.path.style.access", "true"),
        Map.entry("fs.s3a.connection.ssl.enabled", "false"),
        Map.entry("fs.s3a.access.key", IDENTITY),
        Map.entry("fs.s3a.secret.key", CREDENTIAL),
        Map.entry(
            "fs.s3a.aws.credentials.provider",
            "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"),
        Map.entry("fs.s3a.change.detection.mode", "none"));
  }

  /** Applies settings to a Hadoop configuration; returns the previous values to restore. */
  static Map<String, String> apply(Configuration conf, Map<String, String> settings) {
    Map<String, String> previous = new java.util.HashMap<>();
    settings.forEach(
        (k, v) -> {
          previous.put(k, conf.get(k));
          conf.set(k, v);
        });
    return previous;
  }

  static void restore(Configuration conf, Map<String, String> previous) {
    previous.forEach(
        (k, v) -> {
          if (v == null) {
            conf.unset(k);
          } else {
            conf.set(k, v);
          }
        });
  }

  @Override
  public void close() {
    process.destroy();
  }
}
