package io.synclog.sink.bigquery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * A throwaway TLS identity for a server on 127.0.0.1, for clients that only speak TLS (the
 * connector's gRPC channel has no plaintext option): a self-signed key made by the JDK's keytool,
 * and a trust store of the JDK's own CAs plus that certificate, made the JVM's default trust store
 * until {@link #close()} puts the previous one back.
 */
final class LoopbackTls implements AutoCloseable {
  private static final char[] PASSWORD = "loopback".toCharArray();
  private static final List<String> PROPERTIES =
      List.of(
          "javax.net.ssl.trustStore",
          "javax.net.ssl.trustStorePassword",
          "javax.net.ssl.trustStoreType");

  private final KeyStore identity;
  private final Map<String, String> previous = new HashMap<>();

  private LoopbackTls(KeyStore identity) {
    this.identity = identity;
  }

  /** Makes the identity in a folder and trusts it. */
  static LoopbackTls start(Path dir) throws IOException, InterruptedException {
    Path keys = dir.resolve("loopback.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "loopback",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "san=ip:127.0.0.1,dns:localhost",
                "-storetype",
                "PKCS12",
                "-keystore",
                keys.toString(),
                "-storepass",
                new String(PASSWORD))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("keytool.log").toFile())
            .start();
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException(
          "keytool failed: " + Files.readString(dir.resolve("keytool.log")));
    }
    try {
      KeyStore identity = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keys)) {
        identity.load(in, PASSWORD);
      }
      LoopbackTls tls = new LoopbackTls(identity);
      tls.trust(dir.resolve("trust.p12"));
      return tls;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The server's key and certificate. */
  KeyManagerFactory keyManagers() {
    try {
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(identity, PASSWORD);
      return kmf;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private void trust(Path file) throws IOException, GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
    if (Files.isReadable(cacerts)) {
      KeyStore jdk = KeyStore.getInstance(KeyStore.getDefaultType());
      try (InputStream in = Files.newInputStream(cacerts)) {
        jdk.load(in, null);
      }
      for (String alias : java.util.Collections.list(jdk.aliases())) {
        if (jdk.isCertificateEntry(alias)) {
          trust.setCertificateEntry(alias, jdk.getCertificate(alias));
        }
      }
    }
    trust.setCertificateEntry("synclog-loopback", identity.getCertificate("loopback"));
    try (OutputStream out = Files.newOutputStream(file)) {
      trust.store(out, PASSWORD);
    }
    for (String k : PROPERTIES) {
      previous.put(k, System.getProperty(k));
    }
    System.setProperty("javax.net.ssl.trustStore", file.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", new String(PASSWORD));
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
  }

  @Override
  public void close() {
    previous.forEach(
        (k, v) -> {
          if (v == null) {
            System.clearProperty(k);
          } else {
            System.setProperty(k, v);
          }
        });
  }
}
