package io.synclog.sink.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.config.ConfigSources;
import io.synclog.config.SyncConfig;
import io.synclog.error.SyncLogException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings → connector options and JDBC properties, per auth mode; no server, no Spark. */
class SnowflakeSettingsTest {
  static final String PASSWORD = "pw;with'quote\"and%s";
  static final String TOKEN = "oauth-token-SECRET-123";
  static final String PASSPHRASE = "pass phrase!";

  private static PrivateKey key;
  private static String plainPem;
  private static String encryptedPem;

  @TempDir static Path dir;

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    key = gen.generateKeyPair().getPrivate();
    plainPem = pem("PRIVATE KEY", key.getEncoded());
    // what 'openssl pkcs8 -topk8 -v2 aes256' writes: PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC
    String alg = "PBEWithHmacSHA256AndAES_256";
    byte[] salt = new byte[16];
    byte[] iv = new byte[16];
    new SecureRandom().nextBytes(salt);
    new SecureRandom().nextBytes(iv);
    Cipher cipher = Cipher.getInstance(alg);
    cipher.init(
        Cipher.ENCRYPT_MODE,
        SecretKeyFactory.getInstance(alg).generateSecret(new PBEKeySpec(PASSPHRASE.toCharArray())),
        new PBEParameterSpec(salt, 2048, new IvParameterSpec(iv)));
    byte[] encrypted = cipher.doFinal(key.getEncoded());
    encryptedPem =
        pem(
            "ENCRYPTED PRIVATE KEY",
            new EncryptedPrivateKeyInfo(pbes2(cipher.getParameters().getEncoded()), encrypted)
                .getEncoded());
  }

  /** The cipher's parameters under the PBES2 name, which is what the key file's header holds. */
  private static java.security.AlgorithmParameters pbes2(byte[] encoded) throws Exception {
    java.security.AlgorithmParameters p = java.security.AlgorithmParameters.getInstance("PBES2");
    p.init(encoded);
    return p;
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  static Map<String, String> base() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("target.kind", "snowflake");
    m.put("target.url", "https://acme-eu1.snowflakecomputing.com/");
    m.put("target.user", "SYNCLOG");
    m.put("target.database", "analytics");
    m.put("target.warehouse", "LOAD_WH");
    m.put("target.schema", "sync_audit");
    return m;
  }

  static SyncConfig config(Map<String, String> settings, Map<String, String> secrets) {
    return SyncConfig.resolve(
        new ConfigSources(Map.of(), secrets, Map.of(), settings), SyncConfig.Need.TARGET);
  }

  private static SnowflakeSettings settings(Map<String, String> s, Map<String, String> secrets) {
    return SnowflakeSettings.from(config(s, secrets));
  }

  @Test
  void passwordModeGivesTheExactConnectorOptionsAndJdbcProperties() {
    Map<String, String> s = base();
    s.put("target.role", "SYNCLOG_WRITER");
    SnowflakeSettings st = settings(s, Map.of("target.password", PASSWORD));

    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("sfURL", "acme-eu1.snowflakecomputing.com");
    expected.put("sfUser", "SYNCLOG");
    expected.put("sfDatabase", "ANALYTICS");
    expected.put("sfSchema", "SYNC_AUDIT");
    expected.put("sfWarehouse", "LOAD_WH");
    expected.put("sfRole", "SYNCLOG_WRITER");
    expected.put("sfPassword", PASSWORD);
    assertThat(st.connectorOptions()).containsExactlyEntriesOf(expected);

    Properties p = st.jdbcProperties();
    assertThat(p)
        .containsOnly(
            Map.entry("user", "SYNCLOG"),
            Map.entry("db", "ANALYTICS"),
            Map.entry("schema", "SYNC_AUDIT"),
            Map.entry("warehouse", "LOAD_WH"),
            Map.entry("role", "SYNCLOG_WRITER"),
            Map.entry("application", "synclog"),
            Map.entry("password", PASSWORD));
    assertThat(st.jdbcUrl()).isEqualTo("jdbc:snowflake://acme-eu1.snowflakecomputing.com/");
  }

  @Test
  void keyPairFromPemTextOrAnEncryptedFileGivesTheSameKeyToTheConnectorAndTheDriver()
      throws Exception {
    Map<String, String> s = base();
    s.put("target.auth", "key-pair");
    SnowflakeSettings fromText = settings(s, Map.of("target.private-key", plainPem));

    Path file = dir.resolve("rsa_key.p8");
    Files.writeString(file, encryptedPem);
    Map<String, String> f = base();
    f.put("target.auth", "key-pair");
    f.put("target.private-key-file", file.toString());
    SnowflakeSettings fromFile = settings(f, Map.of("target.private-key-passphrase", PASSPHRASE));

    String expected = Base64.getEncoder().encodeToString(key.getEncoded());
    for (SnowflakeSettings st : new SnowflakeSettings[] {fromText, fromFile}) {
      assertThat(st.connectorOptions())
          .containsEntry("pem_private_key", expected)
          .doesNotContainKeys("sfPassword", "sfToken", "sfAuthenticator");
      assertThat(st.jdbcProperties().get("privateKey")).isEqualTo(key);
      assertThat(st.jdbcProperties()).doesNotContainKeys("password", "token");
    }
  }

  @Test
  void oauthPassesTheTokenWithTheOauthAuthenticator() {
    Map<String, String> s = base();
    s.put("target.auth", "oauth");
    SnowflakeSettings st = settings(s, Map.of("target.token", TOKEN));
    assertThat(st.connectorOptions())
        .containsEntry("sfAuthenticator", "oauth")
        .containsEntry("sfToken", TOKEN)
        .doesNotContainKeys("sfPassword", "pem_private_key");
    assertThat(st.jdbcProperties())
        .containsEntry("authenticator", "oauth")
        .containsEntry("token", TOKEN)
        .doesNotContainKey("password");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("target.kind", "snowflake");
    s.put("target.auth", "key-pair");
    s.put("target.database", "bad-db");
    assertThatThrownBy(() -> settings(s, Map.of("target.token", TOKEN)))
        .isInstanceOf(SyncLogException.class)
        .satisfies(
            e -> {
              String m = e.getMessage();
              System.out.println(m);
              assertThat(m)
                  .contains("target.kind=snowflake cannot start")
                  .contains("'target.url' is required")
                  .contains("'target.user' is required")
                  .contains("'target.warehouse' is required")
                  .contains("'target.database' is 'bad-db'")
                  .contains("exactly one of 'target.private-key-file' and 'target.private-key'")
                  .contains("target.token is set but target.auth is key-pair")
                  .doesNotContain(TOKEN);
            });
  }

  @Test
  void eachAuthModeAsksForItsOwnCredentialOnly() {
    Map<String, String> pw = base();
    assertThatThrownBy(() -> settings(pw, Map.of()))
        .hasMessageContaining("'target.password' is required with target.auth=password");
    Map<String, String> oauth = base();
    oauth.put("target.auth", "oauth");
    assertThatThrownBy(() -> settings(oauth, Map.of("target.password", PASSWORD)))
        .hasMessageContaining("'target.token' is required with target.auth=oauth")
        .hasMessageContaining("target.password is set but target.auth is oauth");
    Map<String, String> other = base();
    other.put("target.auth", "service-account");
    assertThatThrownBy(() -> settings(other, Map.of()))
        .hasMessageContaining("Snowflake takes password, key-pair or oauth");
  }

  @Test
  void credentialsNeverReachStringsMessagesOrTheConfigDump() throws Exception {
    Path file = dir.resolve("enc.p8");
    Files.writeString(file, encryptedPem);
    Map<String, String> f = base();
    f.put("target.auth", "key-pair");
    f.put("target.private-key-file", file.toString());
    String keyBody = Base64.getEncoder().encodeToString(key.getEncoded());
    // a wrong passphrase fails with a message that names the file, not the key or passphrase
    assertThatThrownBy(
            () -> settings(f, Map.of("target.private-key-passphrase", "wrong-" + PASSPHRASE)))
        .hasMessageContaining("cannot be read as an RSA key with the given passphrase")
        .hasMessageNotContaining(PASSPHRASE)
        .hasMessageNotContaining(keyBody.substring(0, 40));
    // an encrypted key without passphrase says so
    assertThatThrownBy(() -> settings(f, Map.of()))
        .hasMessageContaining("set 'target.private-key-passphrase'");

    Map<String, String> secrets = Map.of("target.private-key-passphrase", PASSPHRASE);
    SyncConfig config = config(f, secrets);
    SnowflakeSettings st = SnowflakeSettings.from(config);
    SnowflakeSettings pw = settings(base(), Map.of("target.password", PASSWORD));
    Map<String, String> o = base();
    o.put("target.auth", "oauth");
    SnowflakeSettings oauth = settings(o, Map.of("target.token", TOKEN));
    for (String printed :
        new String[] {
          st.toString(),
          st.describe(),
          config.toString(),
          pw.toString(),
          oauth.toString(),
          st.jdbcUrl()
        }) {
      assertThat(printed)
          .doesNotContain(PASSPHRASE, PASSWORD, TOKEN, keyBody.substring(0, 40), "BEGIN");
    }
    assertThat(st.toString())
        .isEqualTo(
            "Snowflake at acme-eu1.snowflakecomputing.com, database ANALYTICS as SYNCLOG"
                + " (key-pair)");
    // driver messages that echo a secret are scrubbed before they reach an error
    assertThat(pw.scrub("login failed for password " + PASSWORD))
        .isEqualTo("login failed for password ****");
    assertThat(oauth.scrub("bad token " + TOKEN)).isEqualTo("bad token ****");
  }

  @Test
  void theShippedExampleConfigIsAValidKeyPairSetup() throws Exception {
    java.util.Properties file = new java.util.Properties();
    try (java.io.Reader r = Files.newBufferedReader(Path.of("conf/snowflake.example.properties"))) {
      file.load(r);
    }
    Map<String, String> settings = new LinkedHashMap<>();
    file.forEach((k, v) -> settings.put((String) k, (String) v));
    Path keyFile = dir.resolve("example.p8");
    Files.writeString(keyFile, encryptedPem);
    settings.put("target.private-key-file", keyFile.toString());
    SnowflakeSettings st = settings(settings, Map.of("target.private-key-passphrase", PASSPHRASE));
    assertThat(st.auth()).isEqualTo("key-pair");
    assertThat(st.connectorOptions())
        .containsEntry("sfURL", "myorg-myaccount.snowflakecomputing.com")
        .containsEntry("sfDatabase", "ANALYTICS")
        .containsEntry("sfSchema", "SYNC_AUDIT")
        .containsEntry("sfWarehouse", "SYNCLOG_WH");
  }
}
