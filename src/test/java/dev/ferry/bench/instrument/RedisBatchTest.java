package dev.ferry.bench.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.testing.Ports;
import dev.ferry.testing.RedisServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Redis batch instrument against a real redis-server: what it writes, and when it answers. */
class RedisBatchTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private RedisServer redis;
  private Vertx vertx;
  private int port;

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.start();
    vertx = Vertx.vertx();
    port = Ports.freePort();
    vertx
        .deployVerticle(
            () -> new RedisBatch(port, redis.url()), new DeploymentOptions().setInstances(2))
        .await(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (vertx != null) vertx.close().await(10, TimeUnit.SECONDS);
    if (redis != null) redis.close();
  }

  @Test
  void every_body_is_in_redis_when_the_batch_is_answered() throws Exception {
    JsonArray entries = new JsonArray();
    for (int i = 0; i < 100; i++) {
      entries.add(new JsonObject().put("destination", "http://x/y").put("body", "body-" + i));
    }
    for (int request = 1; request <= 3; request++) {
      HttpResponse<String> answer = post(entries.encode());
      assertEquals(200, answer.statusCode(), answer.body());
      assertEquals("{\"stored\":100}", answer.body());
      // answered only once Redis acknowledged: every body of this request is already there
      assertEquals(":" + request * 100, redis.command("HLEN " + RedisBatch.KEY));
    }
    // the values are the entries' bodies, byte for byte
    assertEquals(
        ":300",
        redis.command(
            "EVAL \"local n = 0 for _, v in ipairs(redis.call('HVALS', KEYS[1])) do"
                + " if string.match(v, '^body%-%d+$') then n = n + 1 end end return n\" 1 "
                + RedisBatch.KEY));
  }

  @Test
  void a_body_that_is_not_a_json_array_gets_400_with_an_error() throws Exception {
    HttpResponse<String> answer = post("{\"not\":\"an array\"}");
    assertEquals(400, answer.statusCode());
    assertEquals(true, new JsonObject(answer.body()).containsKey("error"), answer.body());
    assertEquals(":0", redis.command("HLEN " + RedisBatch.KEY));
  }

  private HttpResponse<String> post(String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/batch"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
