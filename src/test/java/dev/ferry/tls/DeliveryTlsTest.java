package dev.ferry.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.FerryConfig;
import dev.ferry.testing.Messages;
import dev.ferry.testing.Polls;
import dev.ferry.testing.TestConfigs;
import dev.ferry.testing.TestFerry;
import dev.ferry.testing.TestPki;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery to {@code https://} destinations ({@code delivery.tls}): certificates and host names
 * verified by default, a private CA trusted only once {@code caPath} names it, TLS 1.1 destinations
 * refused. Certificates are made at test time; a failed handshake is an attempt recorded with a TLS
 * error.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeliveryTlsTest {
  @TempDir Path dir;
  private Vertx vertx;
  private TestPki.Issued ca;
  private TestFerry ferry;
  private final List<HttpServer> sinks = new CopyOnWriteArrayList<>();
  private final List<String> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void pki(Vertx vertx) throws Exception {
    this.vertx = vertx;
    ca = TestPki.ca("Ferry Test CA");
  }

  @AfterEach
  void stop() throws Exception {
    if (ferry != null) ferry.close();
    for (HttpServer s : sinks) s.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void a_destination_signed_by_an_unknown_ca_fails_with_a_tls_error() throws Exception {
    int port = httpsSink(TestPki.server(ca, "127.0.0.1"), null);
    startFerry(FerryConfig.DeliveryTls.DEFAULTS);
    String error = failedAttemptError(publish("https://127.0.0.1:" + port + "/hook", Map.of()));
    assertTls(error);
    assertTrue(received.isEmpty(), "nothing reached the destination: " + received);
  }

  @Test
  void with_the_ca_in_ca_path_delivery_and_its_callback_over_https_succeed() throws Exception {
    int port = httpsSink(TestPki.server(ca, "127.0.0.1"), null);
    startFerry(
        new FerryConfig.DeliveryTls(
            ca.writeCertificate(dir.resolve("ca.pem")).toString(), "TLSv1.2"));
    String base = "https://127.0.0.1:" + port;
    String id = publish(base + "/hook", Map.of("Upstash-Callback", base + "/callback"));
    awaitState(id, "DELIVERED");
    awaitReceived("POST /callback");
    assertEquals(List.of("POST /hook", "POST /callback"), received);
  }

  @Test
  void a_destination_named_by_host_name_is_verified_against_that_name() throws Exception {
    // The connect-time address check connects to the address it vetted; TLS must still check the
    // URL's name.
    int port = httpsSink(TestPki.server(ca, "localhost"), null);
    startFerry(
        new FerryConfig.DeliveryTls(
            ca.writeCertificate(dir.resolve("ca.pem")).toString(), "TLSv1.2"));
    awaitState(publish("https://localhost:" + port + "/by-name", Map.of()), "DELIVERED");
    assertEquals(List.of("POST /by-name"), received);
  }

  @Test
  void a_certificate_for_another_host_name_fails_even_from_a_trusted_ca() throws Exception {
    int port = httpsSink(TestPki.server(ca, "other.invalid"), null);
    startFerry(
        new FerryConfig.DeliveryTls(
            ca.writeCertificate(dir.resolve("ca.pem")).toString(), "TLSv1.2"));
    String error = failedAttemptError(publish("https://127.0.0.1:" + port + "/hook", Map.of()));
    assertTls(error);
    assertTrue(received.isEmpty(), "nothing reached the destination: " + received);
  }

  @Test
  void a_destination_speaking_only_tls_1_1_is_refused() throws Exception {
    TestPki.Issued cert =
        TestPki.rsaServer(ca, "127.0.0.1"); // RSA: TLS 1.1 has cipher suites for it
    int port = httpsSink(cert, Set.of("TLSv1.1"));
    // Control: the destination does serve a TLS 1.1 client...
    WebClient tls11 =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setSsl(true)
                .setTrustOptions(ca.trustOptions())
                .setSslEngineOptions(new OpenSSLEngineOptions())
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.1")));
    HttpResponse<Buffer> control =
        tls11.get(port, "127.0.0.1", "/control").send().await(10, TimeUnit.SECONDS);
    tls11.close();
    assertEquals(200, control.statusCode());
    // ...and Ferry, trusting its CA, still refuses to deliver to it.
    startFerry(
        new FerryConfig.DeliveryTls(
            ca.writeCertificate(dir.resolve("ca.pem")).toString(), "TLSv1.2"));
    assertTls(failedAttemptError(publish("https://127.0.0.1:" + port + "/hook", Map.of())));
    assertEquals(List.of("GET /control"), received);
  }

  private void startFerry(FerryConfig.DeliveryTls tls) throws Exception {
    FerryConfig config =
        TestConfigs.of(dir.resolve("data"))
            .set("delivery.tls.caPath", tls.caPath())
            .set("delivery.tls.minVersion", tls.minVersion())
            .build();
    ferry = TestFerry.start(vertx, config);
  }

  /** An HTTPS destination on a free loopback port that records "METHOD /path" and answers 200. */
  private int httpsSink(TestPki.Issued cert, Set<String> protocols) throws Exception {
    HttpServerOptions options =
        new HttpServerOptions()
            .setSsl(true)
            .setHost("127.0.0.1")
            .setPort(0)
            .setKeyCertOptions(cert.keyCertOptions())
            .setSslEngineOptions(new OpenSSLEngineOptions());
    if (protocols != null) options.setEnabledSecureTransportProtocols(protocols);
    HttpServer server =
        vertx
            .createHttpServer(options)
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            b -> {
                              received.add(req.method() + " " + req.path());
                              req.response().end("ok");
                            }))
            .listen()
            .await(10, TimeUnit.SECONDS);
    sinks.add(server);
    return server.actualPort();
  }

  private String publish(String url, Map<String, String> headers) throws Exception {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.put("Upstash-Retries", "0");
    return Messages.publish(ferry, url, all, "payload");
  }

  /** The message's log entries (newest first) once one is in {@code state}. */
  private List<JsonObject> awaitState(String id, String state) {
    return Messages.awaitState(ferry, id, state, Duration.ofSeconds(20));
  }

  private String failedAttemptError(String id) throws Exception {
    awaitState(id, "FAILED");
    // the ERROR entry is written beside FAILED; wait for it rather than assume it landed first
    List<JsonObject> events = awaitState(id, "ERROR");
    JsonObject error =
        events.stream().filter(e -> "ERROR".equals(e.getString("state"))).findFirst().orElseThrow();
    assertTrue(error.getString("error") != null, error.encode());
    return error.getString("error");
  }

  private void awaitReceived(String request) {
    Polls.within(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertTrue(received.contains(request), request + " never arrived: " + received));
  }

  private static void assertTls(String error) {
    assertTrue(
        error.toLowerCase(java.util.Locale.ROOT).matches("(?s).*(tls|ssl|certificate|handshake).*"),
        "a TLS failure: " + error);
  }
}
