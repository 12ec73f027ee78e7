package io.synclog.sink.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One real PostgreSQL server (zonky's embedded binaries, PG 18) for the whole test JVM, started on
 * first use and stopped when the JVM exits. Durability is off (fsync, synchronous_commit): the
 * tests kill runs, not the server.
 *
 * <p>Two users: {@code postgres}, trusted, for setting up and inspecting; and {@link #APP_USER},
 * which must log in with {@link #APP_PASSWORD} (scram-sha-256), for synclog itself.
 */
public final class EmbeddedPg {
  public static final String APP_USER = "synclog_app";

  /** Deliberately full of characters that break naive quoting. */
  public static final String APP_PASSWORD = "Sup3r-S3cret;pg\"pass%x";

  private static EmbeddedPostgres server;

  private EmbeddedPg() {}

  public static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server =
            EmbeddedPostgres.builder()
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("max_connections", "200")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setDataDirectoryCustomizer(
                    dir -> {
                      try {
                        Files.writeString(
                            dir.toPath().resolve("pg_hba.conf"),
                            String.join(
                                "\n",
                                "host all " + APP_USER + " 127.0.0.1/32 scram-sha-256",
                                "host all " + APP_USER + " ::1/128 scram-sha-256",
                                "local all all trust",
                                "host all all 127.0.0.1/32 trust",
                                "host all all ::1/128 trust",
                                ""));
                      } catch (IOException e) {
                        throw new UncheckedIOException(e);
                      }
                    })
                .start();
        try (Connection c = admin();
            Statement st = c.createStatement()) {
          st.execute("CREATE ROLE " + APP_USER + " LOGIN PASSWORD '" + APP_PASSWORD + "'");
          st.execute("GRANT CREATE ON DATABASE postgres TO " + APP_USER);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedPg::stop));
      } catch (IOException | SQLException e) {
        throw new IllegalStateException("cannot start embedded Postgres", e);
      }
    }
    return server;
  }

  private static void stop() {
    try {
      server.close();
    } catch (IOException e) {
      // the JVM is exiting
    }
  }

  /** The URL synclog is given (no credentials in it). */
  public static String url() {
    return "jdbc:postgresql://127.0.0.1:" + server().getPort() + "/postgres";
  }

  /** A superuser connection for setting up and inspecting. */
  public static Connection admin() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + server().getPort() + "/postgres", "postgres", "");
  }
}
