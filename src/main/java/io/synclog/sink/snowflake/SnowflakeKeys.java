package io.synclog.sink.snowflake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads a key-pair private key: PKCS#8 PEM, plain ({@code BEGIN PRIVATE KEY}) or encrypted ({@code
 * BEGIN ENCRYPTED PRIVATE KEY}, as {@code openssl pkcs8 -topk8 -v2 aes256} writes it). Uses the
 * JDK's own crypto only. Errors name the problem, never the key or the passphrase.
 */
final class SnowflakeKeys {
  private static final String PLAIN = "PRIVATE KEY";
  private static final String ENCRYPTED = "ENCRYPTED PRIVATE KEY";

  private SnowflakeKeys() {}

  static PrivateKey readFile(String path, String passphrase) {
    String pem;
    try {
      pem = Files.readString(Path.of(path), StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot read 'target.private-key-file' "
              + path
              + " ("
              + e.getClass().getSimpleName()
              + ")");
    }
    return parse(pem, passphrase, "'target.private-key-file' " + path);
  }

  static PrivateKey parse(String pem, String passphrase) {
    return parse(pem, passphrase, "'target.private-key'");
  }

  private static PrivateKey parse(String pem, String passphrase, String what) {
    boolean encrypted = pem.contains("-----BEGIN " + ENCRYPTED + "-----");
    boolean plain = pem.contains("-----BEGIN " + PLAIN + "-----");
    if (!encrypted && !plain) {
      throw new IllegalArgumentException(
          what
              + " is not a PKCS#8 PEM key (expected '-----BEGIN PRIVATE KEY-----' or '-----BEGIN"
              + " ENCRYPTED PRIVATE KEY-----'; convert with 'openssl pkcs8 -topk8')");
    }
    if (encrypted && passphrase == null) {
      throw new IllegalArgumentException(
          what + " is encrypted; set 'target.private-key-passphrase'");
    }
    try {
      byte[] der = body(pem, encrypted ? ENCRYPTED : PLAIN);
      PKCS8EncodedKeySpec spec =
          encrypted ? decrypt(der, passphrase) : new PKCS8EncodedKeySpec(der);
      return KeyFactory.getInstance("RSA").generatePrivate(spec);
    } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          what
              + " cannot be read as an RSA key"
              + (encrypted ? " with the given passphrase" : "")
              + " ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  private static byte[] body(String pem, String label) {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int from = pem.indexOf(begin) + begin.length();
    int to = pem.indexOf(end, from);
    if (to < 0) {
      throw new IllegalArgumentException("no " + end);
    }
    return Base64.getMimeDecoder().decode(pem.substring(from, to));
  }

  private static PKCS8EncodedKeySpec decrypt(byte[] der, String passphrase)
      throws GeneralSecurityException, IOException {
    EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
    // PBES2 keys name their real cipher in the parameters ("PBEWithHmacSHA256AndAES_256")
    String algorithm =
        info.getAlgParameters() == null ? info.getAlgName() : info.getAlgParameters().toString();
    SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
    Cipher cipher = Cipher.getInstance(algorithm);
    cipher.init(
        Cipher.DECRYPT_MODE,
        factory.generateSecret(new PBEKeySpec(passphrase.toCharArray())),
        info.getAlgParameters());
    return info.getKeySpec(cipher);
  }
}
