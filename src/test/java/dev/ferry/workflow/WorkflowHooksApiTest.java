package dev.ferry.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.testing.GatewayTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The token-less webhook path answers a 404 with an {@code error} for whatever it does not know,
 * whatever the method, and opens no other path to callers without a token.
 */
class WorkflowHooksApiTest extends GatewayTest {

  private WebClient client;

  @org.junit.jupiter.api.BeforeEach
  void client(io.vertx.core.Vertx vertx) {
    client = WebClient.create(vertx);
  }

  private HttpResponse<Buffer> call(HttpMethod method, String path, String body) throws Exception {
    return client
        .request(method, ferry.port(), "127.0.0.1", path)
        .sendBuffer(Buffer.buffer(body))
        .await(5, TimeUnit.SECONDS);
  }

  @Test
  void a_hook_call_for_no_webhook_is_a_404_and_other_paths_still_need_a_token() throws Exception {
    for (HttpMethod method : new HttpMethod[] {HttpMethod.POST, HttpMethod.GET, HttpMethod.PUT}) {
      HttpResponse<Buffer> r = call(method, "/v2/workflows/hooks/defaultUser/wfr_x/evt_y", "b");
      assertEquals(404, r.statusCode(), r.bodyAsString());
      assertEquals("no such webhook", r.bodyAsJsonObject().getString("error"));
    }
    HttpResponse<Buffer> malformed = call(HttpMethod.POST, "/v2/workflows/hooks/%zz/wfr/evt", "");
    assertEquals(400, malformed.statusCode(), malformed.bodyAsString());
    assertEquals(401, call(HttpMethod.POST, "/v2/workflows/hooks/u/wfr_x", "").statusCode());
    assertEquals(401, call(HttpMethod.GET, "/v2/workflows/runs/wfr_x", "").statusCode());
  }
}
