package io.synclog.sink.delta.databricks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.synclog.config.Secret;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The live test's REST client never shows its token: not in its description, and not in an error,
 * even when the server echoes the request's Authorization header back.
 */
class DatabricksApiTest {
  private static final String TOKEN = "dapi0123456789abcdef-secret";

  @Test
  void theTokenIsSentOnlyInTheHeaderAndMaskedInEveryMessage() throws Exception {
    List<String> seen = new ArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + auth);
          byte[] body =
              ("{\"error_code\":\"PERMISSION_DENIED\",\"message\":\"bad header " + auth + "\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(403, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      String host = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
      DatabricksApi api = new DatabricksApi(host, Secret.of(TOKEN));
      assertThat(api.toString()).doesNotContain(TOKEN).contains("****");
      assertThatThrownBy(() -> api.upload("/Volumes/main/it/files/a b.jar", new byte[] {1}))
          .hasMessageContaining("answered 403")
          .hasMessageContaining("PERMISSION_DENIED")
          .hasMessageContaining("Bearer ****")
          .hasMessageNotContaining(TOKEN);
      assertThatThrownBy(() -> api.sql("wh", "SELECT 1"))
          .hasMessageContaining("/api/2.0/sql/statements answered 403")
          .hasMessageNotContaining(TOKEN);
      assertThat(seen)
          .containsExactly(
              "PUT /api/2.0/fs/files/Volumes/main/it/files/a%20b.jar?overwrite=true Bearer "
                  + TOKEN,
              "POST /api/2.0/sql/statements Bearer " + TOKEN);
    } finally {
      server.stop(0);
    }
  }
}
