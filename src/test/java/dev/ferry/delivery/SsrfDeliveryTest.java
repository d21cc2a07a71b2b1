package dev.ferry.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.FerryConfig;
import dev.ferry.model.DlqEntry;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Sink;
import dev.ferry.testing.StubDns;
import dev.ferry.testing.TestClock;
import dev.ferry.testing.TestConfigs;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connect-time half of the SSRF defence (docs/architecture.md#the-ssrf-matrix: the matrix by
 * host name, DNS rebinding, allow lists, redirects). Ferry runs on a Vert.x instance whose resolver
 * reads a test hosts file (names for every address of the SSRF matrix) and asks a {@link StubDns}
 * for anything else, so lookups are made by the very resolver production uses. A "tripwire"
 * listener on 127.0.0.1 counts every connection: where loopback is refused it must stay at zero.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SsrfDeliveryTest {
  /** Host name → the address text a blocked attempt must name. */
  static final Map<String, String> METADATA_NAMES = new LinkedHashMap<>();

  static final Map<String, String> NON_PUBLIC_NAMES = new LinkedHashMap<>();

  static {
    METADATA_NAMES.put("metadata.google.internal", "169.254.169.254");
    METADATA_NAMES.put("meta.test", "169.254.169.254");
    METADATA_NAMES.put("awsv6.test", "fd00:ec2::254");
    METADATA_NAMES.put("nat64meta.test", "64:ff9b::a9fe:a9fe");
    METADATA_NAMES.put("sixtofourmeta.test", "2002:a9fe:a9fe::");
    METADATA_NAMES.put("linklocal6.test", "fe80::1");
    NON_PUBLIC_NAMES.put("localhost", "127.0.0.1");
    NON_PUBLIC_NAMES.put("loopback.test", "127.0.0.1");
    NON_PUBLIC_NAMES.put("zero.test", "0.0.0.0");
    NON_PUBLIC_NAMES.put("v6loop.test", "::1");
    NON_PUBLIC_NAMES.put("unspecified6.test", "::");
    NON_PUBLIC_NAMES.put("ten.test", "10.1.2.3");
    NON_PUBLIC_NAMES.put("rfc1918b.test", "172.16.5.5");
    NON_PUBLIC_NAMES.put("rfc1918c.test", "192.168.7.7");
    NON_PUBLIC_NAMES.put("cgnat.test", "100.64.1.1");
  }

  static final String HOSTS =
      """
      127.0.0.1 localhost loopback.test
      0.0.0.0 zero.test
      ::1 v6loop.test
      :: unspecified6.test
      10.1.2.3 ten.test
      172.16.5.5 rfc1918b.test
      192.168.7.7 rfc1918c.test
      100.64.1.1 cgnat.test
      169.254.169.254 metadata.google.internal meta.test
      fd00:ec2::254 awsv6.test
      64:ff9b::a9fe:a9fe nat64meta.test
      2002:a9fe:a9fe:: sixtofourmeta.test
      fe80::1 linklocal6.test
      """;

  @TempDir Path dir;
  Vertx vertx; // Ferry's, with the test resolver
  StubDns dns;
  NetServer tripwire;
  final AtomicInteger loopbackConnections = new AtomicInteger();
  TestFerry ferry;

  @BeforeEach
  void start(Vertx helper) throws Exception {
    // rebind.test: the first A answer is 127.0.0.2 (allowed below), every later one 127.0.0.1
    // (refused)
    dns =
        StubDns.start(
            helper,
            (name, earlier) ->
                name.equals("rebind.test")
                    ? List.of(earlier == 0 ? new byte[] {127, 0, 0, 2} : new byte[] {127, 0, 0, 1})
                    : null);
    vertx =
        Vertx.vertx(
            new VertxOptions()
                .setAddressResolverOptions(
                    new AddressResolverOptions()
                        .setHostsValue(Buffer.buffer(HOSTS))
                        .setServers(List.of("127.0.0.1:" + dns.port()))
                        .setCacheMaxTimeToLive(0)
                        .setNdots(1)
                        .setSearchDomains(List.of())
                        .setQueryTimeout(5000)));
    tripwire =
        vertx
            .createNetServer()
            .connectHandler(
                socket -> {
                  loopbackConnections.incrementAndGet();
                  socket.close();
                })
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (ferry != null) ferry.close();
    dns.close();
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  void every_sec1_name_is_blocked_at_connect_time_in_mode_public_naming_the_resolved_address()
      throws Exception {
    ferry =
        TestFerry.start(
            vertx,
            config(new FerryConfig.Destinations("public", List.of(), List.of(), List.of(), false)));
    Map<String, String> all = new LinkedHashMap<>(METADATA_NAMES);
    all.putAll(NON_PUBLIC_NAMES);
    Map<String, String> idToName = publishToEach(all.keySet());
    Map<String, String> errors = awaitDlq(idToName.size());
    for (Map.Entry<String, String> e : idToName.entrySet()) {
      String error = errors.get(e.getKey());
      String address = all.get(e.getValue());
      assertTrue(
          error != null
              && error.startsWith("blocked: " + e.getValue() + " resolved to " + address + " ("),
          e.getValue() + " → " + error);
    }
    assertEquals(0, loopbackConnections.get(), "no connection to 127.0.0.1 was ever opened");
  }

  @Test
  void metadata_names_are_blocked_in_mode_default_and_private_names_are_delivered()
      throws Exception {
    ferry = TestFerry.start(vertx, config(FerryConfig.Destinations.DEFAULTS));
    Map<String, String> idToName = publishToEach(METADATA_NAMES.keySet());
    Map<String, String> errors = awaitDlq(idToName.size());
    for (Map.Entry<String, String> e : idToName.entrySet()) {
      String error = errors.get(e.getKey());
      assertTrue(
          error != null
              && error.startsWith(
                  "blocked: "
                      + e.getValue()
                      + " resolved to "
                      + METADATA_NAMES.get(e.getValue())
                      + " (")
              && error.contains("never calls"),
          e.getValue() + " → " + error);
    }
    Sink sink = Sink.startBlocking(vertx);
    assertEquals(
        201,
        ferry
            .publish("http://loopback.test:" + sink.port() + "/private", Map.of(), "x")
            .statusCode());
    assertEquals(
        1, sink.await("/private", 1, 20_000).size(), "mode default delivers to private addresses");
    sink.close();
  }

  @Test
  void dns_rebinding_cannot_swap_in_a_blocked_address() throws Exception {
    int port = tripwire.actualPort();
    List<String> reached = new java.util.concurrent.CopyOnWriteArrayList<>();
    HttpServer allowed =
        vertx
            .createHttpServer()
            .requestHandler(
                r -> {
                  reached.add(r.path());
                  r.response().end();
                })
            .listen(port, "127.0.0.2")
            .await(10, TimeUnit.SECONDS);
    ferry =
        TestFerry.start(
            vertx,
            config(
                new FerryConfig.Destinations(
                    "public", List.of("127.0.0.2/32"), List.of(), List.of(), false)));

    assertEquals(
        201,
        ferry.publish("http://rebind.test:" + port + "/first", retriesNone(), "x").statusCode());
    awaitTrue(() -> reached.contains("/first"), "the first lookup's address (127.0.0.2) is called");
    assertEquals(
        1,
        dns.asked("rebind.test", StubDns.A),
        "one lookup: the client connected to the vetted address");

    HttpResponse<Buffer> second =
        ferry.publish("http://rebind.test:" + port + "/second", retriesNone(), "x");
    String id = second.bodyAsJsonObject().getString("messageId");
    String error = awaitDlq(1).get(id);
    assertTrue(error.startsWith("blocked: rebind.test resolved to 127.0.0.1 ("), error);
    assertEquals(List.of("/first"), reached);
    assertEquals(0, loopbackConnections.get(), "no connection to 127.0.0.1 was ever opened");
    allowed.close();
  }

  @Test
  void a_literal_stored_before_mode_public_is_blocked_at_connect_time_and_logged()
      throws Exception {
    TestClock clock = new TestClock(java.time.Instant.now());
    TestFerry before = TestFerry.start(vertx, config(FerryConfig.Destinations.DEFAULTS), clock);
    String url = "http://127.0.0.1:" + tripwire.actualPort() + "/stored";
    HttpResponse<Buffer> r =
        before.publish(url, Map.of("Upstash-Delay", "1h", "Upstash-Retries", "0"), "x");
    assertEquals(201, r.statusCode(), r.bodyAsString());
    String id = r.bodyAsJsonObject().getString("messageId");
    before.close();
    clock.jumpTo(
        clock
            .instant()
            .plusSeconds(7200)); // due now, for a Ferry that has since switched to mode public
    ferry =
        TestFerry.start(
            vertx,
            config(new FerryConfig.Destinations("public", List.of(), List.of(), List.of(), false)),
            clock);
    String error = awaitDlq(1).get(id);
    assertTrue(error.startsWith("blocked: 127.0.0.1 is not called: it is loopback"), error);
    awaitTrue(() -> logErrors(id).contains(error), "the message log records the refusal");
    assertEquals(0, loopbackConnections.get(), "no connection to 127.0.0.1 was ever opened");
  }

  private List<String> logErrors(String id) {
    try {
      HttpResponse<Buffer> r =
          ferry.send(
              io.vertx.core.http.HttpMethod.GET, "/v2/logs?messageIds=" + id, Map.of(), null);
      List<String> errors = new ArrayList<>();
      r.bodyAsJsonObject()
          .getJsonArray("logs")
          .forEach(
              e -> {
                String err = ((io.vertx.core.json.JsonObject) e).getString("error");
                if (err != null) errors.add(err);
              });
      return errors;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void allowlisted_cidr_and_host_are_reached_in_mode_public_but_metadata_never() throws Exception {
    int port = tripwire.actualPort();
    List<String> reached = new java.util.concurrent.CopyOnWriteArrayList<>();
    HttpServer second =
        vertx
            .createHttpServer()
            .requestHandler(
                r -> {
                  reached.add(r.path());
                  r.response().end();
                })
            .listen(port, "127.0.0.2")
            .await(10, TimeUnit.SECONDS);
    ferry =
        TestFerry.start(
            vertx,
            config(
                new FerryConfig.Destinations(
                    "public",
                    List.of("127.0.0.2/32", "169.254.0.0/16", "fd00::/8"),
                    List.of("meta.test", "awsv6.test"),
                    List.of(),
                    false)));

    assertEquals(
        201, ferry.publish("http://127.0.0.2:" + port + "/cidr", retriesNone(), "x").statusCode());
    awaitTrue(() -> reached.contains("/cidr"), "127.0.0.2 (allowCidrs) is reached");
    HttpResponse<Buffer> loopback =
        ferry.publish("http://127.0.0.1:" + port + "/no", retriesNone(), "x");
    assertEquals(400, loopback.statusCode(), loopback.bodyAsString());
    assertTrue(
        loopback.bodyAsJsonObject().getString("error").contains("loopback"),
        loopback.bodyAsString());
    HttpResponse<Buffer> metadata =
        ferry.publish("http://169.254.169.254/latest/meta-data/", retriesNone(), "x");
    assertEquals(400, metadata.statusCode(), "metadata stays refused although allowCidrs names it");

    Map<String, String> idToName =
        publishToEach(List.of("meta.test", "awsv6.test", "loopback.test"));
    Map<String, String> errors = awaitDlq(idToName.size());
    errors.values().forEach(e -> assertTrue(e.startsWith("blocked: "), e));
    assertEquals(0, loopbackConnections.get());
    second.close();
  }

  @Test
  void allow_hosts_lets_one_name_reach_a_private_address() throws Exception {
    Sink sink = Sink.startBlocking(vertx);
    ferry =
        TestFerry.start(
            vertx,
            config(
                new FerryConfig.Destinations(
                    "public", List.of(), List.of("loopback.test"), List.of(), false)));
    assertEquals(
        201,
        ferry
            .publish("http://loopback.test:" + sink.port() + "/named", Map.of(), "x")
            .statusCode());
    assertEquals(1, sink.await("/named", 1, 20_000).size());
    Map<String, String> errors = awaitDlq(publishToEach(List.of("localhost")).size());
    assertTrue(
        errors.values().iterator().next().startsWith("blocked: localhost resolved to 127.0.0.1"));
    sink.close();
  }

  @Test
  void redirects_are_not_followed_to_metadata_or_anywhere_else() throws Exception {
    ferry = TestFerry.start(vertx, config(FerryConfig.Destinations.DEFAULTS));
    Sink sink = Sink.startBlocking(vertx);
    sink.on(
        "/to-metadata",
        r ->
            new Sink.Reply(
                302, Map.of("Location", "http://169.254.169.254/latest/meta-data/"), "", 0));
    sink.on("/moved", r -> new Sink.Reply(301, Map.of("Location", sink.url("/target")), "", 0));
    sink.on("/temporary", r -> new Sink.Reply(307, Map.of("Location", sink.url("/target")), "", 0));
    List<String> ids = new ArrayList<>();
    for (String path : List.of("/to-metadata", "/moved", "/temporary")) {
      ids.add(
          ferry
              .publish(sink.url(path), retriesNone(), "x")
              .bodyAsJsonObject()
              .getString("messageId"));
    }
    List<DlqEntry> dead = awaitDlqEntries(3);
    for (DlqEntry e : dead) {
      assertTrue(ids.contains(e.message().id()));
      int status = e.last().status();
      assertTrue(
          status == 301 || status == 302 || status == 307, "3xx is a failed attempt: " + status);
    }
    assertEquals(List.of(), sink.received("/target"), "the redirect target was never requested");
    sink.close();
  }

  private FerryConfig config(FerryConfig.Destinations destinations) {
    return TestConfigs.of(dir).destinations(destinations).build();
  }

  private static Map<String, String> retriesNone() {
    return Map.of("Upstash-Retries", "0", "Upstash-Timeout", "5s");
  }

  /** Publishes one message to http://NAME:tripwire/ per name; message id → name. */
  private Map<String, String> publishToEach(Iterable<String> names) throws Exception {
    Map<String, String> idToName = new LinkedHashMap<>();
    for (String name : names) {
      HttpResponse<Buffer> r =
          ferry.publish("http://" + name + ":" + tripwire.actualPort() + "/x", retriesNone(), "x");
      assertEquals(201, r.statusCode(), name + ": " + r.bodyAsString());
      idToName.put(r.bodyAsJsonObject().getString("messageId"), name);
    }
    return idToName;
  }

  /** Waits until the DLQ holds {@code count} entries; message id → error of its last attempt. */
  private Map<String, String> awaitDlq(int count) throws Exception {
    Map<String, String> errors = new LinkedHashMap<>();
    for (DlqEntry e : awaitDlqEntries(count)) errors.put(e.message().id(), e.last().error());
    return errors;
  }

  private List<DlqEntry> awaitDlqEntries(int count) throws Exception {
    AtomicReference<List<DlqEntry>> entries = new AtomicReference<>();
    Polls.waitUpTo(
        Duration.ofSeconds(60),
        () -> {
          entries.set(
              ferry.ferry().stores().dlq().list("a", null, 100).await(10, TimeUnit.SECONDS));
          return entries.get().size() >= count;
        });
    assertEquals(count, entries.get().size(), "DLQ entries: " + entries.get());
    return entries.get();
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
    Polls.within(Duration.ofSeconds(30)).alias(what).until(condition::getAsBoolean);
  }
}
