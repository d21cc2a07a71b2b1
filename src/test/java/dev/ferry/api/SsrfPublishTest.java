package dev.ferry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.FerryConfig;
import dev.ferry.testing.TestConfigs;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * At publish time: every address form of the SSRF matrix (docs/architecture.md#the-ssrf-matrix),
 * through every way a URL gets into Ferry (publish and enqueue share one handler; batch, callback,
 * failure callback, URL-group endpoint, schedule and its callback), in mode default and mode
 * public. A literal address the policy refuses is a 400 {@code {"error"}}; host names pass (they
 * are judged on their resolved addresses at connect time, see {@code delivery.SsrfDeliveryTest}).
 * Accepted messages are delayed an hour so nothing is delivered.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SsrfPublishTest {
  /**
   * Refused in every mode: metadata / link-local in any spelling, and numeric hosts parsers
   * disagree on.
   */
  static final List<String> ALWAYS_REFUSED =
      List.of(
          "169.254.169.254",
          "[fd00:ec2::254]",
          "[64:ff9b::a9fe:a9fe]",
          "[2002:a9fe:a9fe::]",
          "[::ffff:169.254.169.254]",
          "[fe80::1]",
          "2130706433",
          "0x7f.1",
          "017700000001",
          "127.1",
          "0xa9fea9fe");

  /** Refused in mode public only. */
  static final List<String> NON_PUBLIC =
      List.of(
          "127.0.0.1",
          "0.0.0.0",
          "[::1]",
          "[::]",
          "[::ffff:127.0.0.1]",
          "10.0.0.1",
          "172.16.0.1",
          "192.168.0.1",
          "100.64.0.1");

  /** Host names: accepted at publish time in both modes. */
  static final List<String> NAMES = List.of("localhost", "metadata.google.internal");

  @TempDir static Path dir;
  static Vertx vertx;
  static TestFerry defaultMode;
  static TestFerry publicMode;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    defaultMode =
        TestFerry.start(vertx, config(dir.resolve("default"), FerryConfig.Destinations.DEFAULTS));
    publicMode =
        TestFerry.start(
            vertx,
            config(
                dir.resolve("public"),
                new FerryConfig.Destinations("public", List.of(), List.of(), List.of(), false)));
  }

  @AfterAll
  static void stop() throws Exception {
    defaultMode.close();
    publicMode.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static FerryConfig config(Path dataDir, FerryConfig.Destinations destinations) {
    return TestConfigs.of(dataDir)
        .destinations(destinations)
        .set("limits.maxQueues", 100)
        .set("limits.maxUrlGroups", 100)
        .set("limits.maxEndpointsPerGroup", 100)
        .set("limits.maxSchedules", 100)
        .build();
  }

  /**
   * One way of getting a URL into Ferry: sends it, says whether it was accepted (or the 400's error
   * text).
   */
  interface EntryPoint {
    String send(TestFerry ferry, String url) throws Exception;
  }

  static final Map<String, String> LATER = Map.of("Upstash-Delay", "1h", "Upstash-Retries", "0");

  static final Map<String, EntryPoint> ENTRY_POINTS =
      Map.of(
          "publish", (f, url) -> answer(f.publish(url, LATER, "x"), 201),
          "callback",
              (f, url) ->
                  answer(
                      f.publish("https://example.com/x", with("Upstash-Callback", url), "x"), 201),
          "failure callback",
              (f, url) ->
                  answer(
                      f.publish(
                          "https://example.com/x", with("Upstash-Failure-Callback", url), "x"),
                      201),
          "url-group endpoint",
              (f, url) ->
                  answer(
                      f.await(
                          () ->
                              f.request(HttpMethod.POST, "/v2/topics/ssrf-group/endpoints")
                                  .sendJsonObject(
                                      new JsonObject()
                                          .put(
                                              "endpoints",
                                              new JsonArray()
                                                  .add(new JsonObject().put("url", url))))),
                      200),
          "schedule",
              (f, url) ->
                  answer(
                      f.send(
                          HttpMethod.POST,
                          "/v2/schedules/" + url,
                          Map.of(
                              "Upstash-Cron", "0 0 1 1 *", "Upstash-Schedule-Id", "ssrf-schedule"),
                          "x"),
                      200),
          "schedule callback",
              (f, url) ->
                  answer(
                      f.send(
                          HttpMethod.POST,
                          "/v2/schedules/https://example.com/s",
                          Map.of(
                              "Upstash-Cron",
                              "0 0 1 1 *",
                              "Upstash-Schedule-Id",
                              "ssrf-schedule-cb",
                              "Upstash-Callback",
                              url),
                          "x"),
                      200),
          "batch entry", SsrfPublishTest::batch);

  @Test
  void metadata_and_ambiguous_numeric_hosts_are_refused_in_mode_default() throws Exception {
    assertMatrix(defaultMode, ALWAYS_REFUSED, true);
  }

  @Test
  void private_loopback_and_names_are_accepted_in_mode_default() throws Exception {
    List<String> accepted = new ArrayList<>(NON_PUBLIC);
    accepted.addAll(NAMES);
    assertMatrix(defaultMode, accepted, false);
  }

  @Test
  void every_non_public_literal_is_refused_in_mode_public() throws Exception {
    List<String> refused = new ArrayList<>(ALWAYS_REFUSED);
    refused.addAll(NON_PUBLIC);
    assertMatrix(publicMode, refused, true);
  }

  @Test
  void names_pass_publish_in_mode_public_and_wait_for_connect_time() throws Exception {
    assertMatrix(publicMode, NAMES, false);
  }

  @Test
  void url_group_default_callbacks_are_checked_when_set() throws Exception {
    for (TestFerry f : List.of(defaultMode, publicMode)) {
      HttpResponse<Buffer> created =
          f.await(
              () ->
                  f.request(HttpMethod.POST, "/v2/topics/ssrf-defaults/endpoints")
                      .sendJsonObject(
                          new JsonObject()
                              .put(
                                  "endpoints",
                                  new JsonArray()
                                      .add(new JsonObject().put("url", "https://example.com/e")))));
      assertEquals(200, created.statusCode(), created.bodyAsString());
      assertEquals(
          400, patchDefaults(f, "Upstash-Callback", "http://169.254.169.254/").statusCode());
      assertEquals(
          400,
          patchDefaults(f, "Upstash-Failure-Callback", "http://[fd00:ec2::254]/").statusCode());
      assertEquals(
          f == publicMode ? 400 : 200,
          patchDefaults(f, "Upstash-Callback", "http://10.0.0.1/").statusCode());
      assertEquals(
          200, patchDefaults(f, "Upstash-Callback", "https://example.com/cb").statusCode());
    }
  }

  private static HttpResponse<Buffer> patchDefaults(TestFerry f, String header, String url)
      throws Exception {
    return f.await(
        () ->
            f.request(HttpMethod.PATCH, "/v2/topics/ssrf-defaults")
                .sendJsonObject(
                    new JsonObject().put("headers", new JsonObject().put(header, url))));
  }

  private static void assertMatrix(TestFerry ferry, List<String> hosts, boolean refused)
      throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, EntryPoint> entry : ENTRY_POINTS.entrySet()) {
      for (String host : hosts) {
        String url = "http://" + host + ":8080/hook";
        String error = entry.getValue().send(ferry, url);
        boolean wasRefused = error != null;
        boolean explains =
            error == null || error.contains("blocked") || error.contains("reads as an IP address");
        if (wasRefused != refused || !explains) {
          wrong.add(entry.getKey() + " " + url + " → " + (error == null ? "accepted" : error));
        }
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  /**
   * Null when accepted with {@code okStatus}; the error text of a 400; anything else fails the
   * test.
   */
  private static String answer(HttpResponse<Buffer> r, int okStatus) {
    if (r.statusCode() == okStatus) return null;
    assertEquals(400, r.statusCode(), r.bodyAsString());
    String error = r.bodyAsJsonObject().getString("error");
    assertTrue(error != null && !error.isEmpty(), r.bodyAsString());
    return error;
  }

  private static String batch(TestFerry f, String url) throws Exception {
    HttpResponse<Buffer> r =
        f.await(
            () ->
                f.request(HttpMethod.POST, "/v2/batch")
                    .sendJson(
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("destination", url)
                                    .put("headers", new JsonObject(new java.util.HashMap<>(LATER))))
                            .add(
                                new JsonObject()
                                    .put("destination", "https://example.com/ok")
                                    .put(
                                        "headers",
                                        new JsonObject(new java.util.HashMap<>(LATER))))));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonArray items = r.bodyAsJsonArray();
    assertTrue(
        items.getJsonObject(1).containsKey("messageId"), "the other entry is stored: " + items);
    return items.getJsonObject(0).getString("error");
  }

  private static Map<String, String> with(String header, String url) {
    return Map.of("Upstash-Delay", "1h", "Upstash-Retries", "0", header, url);
  }
}
