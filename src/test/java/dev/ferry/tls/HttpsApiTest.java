package dev.ferry.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.FerryConfig;
import dev.ferry.testing.Sink;
import dev.ferry.testing.TestConfigs;
import dev.ferry.testing.TestFerry;
import dev.ferry.testing.TestPki;
import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ferry's API over HTTPS ({@code http.tls}): HTTP/1.1 and HTTP/2 (ALPN) with the OpenSSL engine,
 * TLS 1.1 refused, a certificate made at test time by a private CA; and HTTP/2 in clear text (h2c)
 * when TLS is off.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpsApiTest {
  @TempDir Path dir;
  private TestPki.Issued ca;
  private TestPki.Issued serverCert;
  private Sink sink;
  private TestFerry ferry;
  private WebClient client;
  private Vertx vertx;

  @BeforeEach
  void pki(Vertx vertx) throws Exception {
    this.vertx = vertx;
    ca = TestPki.ca("Ferry Test CA");
    // RSA: so that a TLS 1.1 handshake could find a cipher suite, and is refused for its version
    // alone
    serverCert = TestPki.rsaServer(ca, "localhost", "127.0.0.1");
    sink = Sink.startBlocking(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) client.close();
    if (ferry != null) ferry.close();
  }

  private TestFerry startFerry(Vertx vertx, boolean http2, String minVersion) throws Exception {
    FerryConfig config =
        TestConfigs.of(dir.resolve("data"))
            .set("http.tls.enabled", true)
            .set("http.tls.certPath", serverCert.writeCertificate(dir.resolve("cert.pem")))
            .set("http.tls.keyPath", serverCert.writeKey(dir.resolve("key.pem")))
            .set("http.tls.http2", http2)
            .set("http.tls.minVersion", minVersion)
            .build();
    ferry = TestFerry.start(vertx, config);
    return ferry;
  }

  private WebClientOptions trusting() {
    return new WebClientOptions()
        .setSsl(true)
        .setTrustOptions(ca.trustOptions())
        .setVerifyHost(true)
        .setDefaultHost("127.0.0.1")
        .setDefaultPort(ferry.port());
  }

  private HttpResponse<Buffer> publish(WebClientOptions options, String body) throws Exception {
    client = WebClient.create(vertx, options);
    return client
        .post("/v2/publish/" + sink.url("/tls"))
        .bearerTokenAuthentication(TestFerry.TOKEN)
        .sendBuffer(Buffer.buffer(body))
        .await(10, TimeUnit.SECONDS);
  }

  @Test
  void publish_over_https_with_http_1_1_is_accepted_and_delivered(Vertx vertx) throws Exception {
    startFerry(vertx, true, "TLSv1.2");
    HttpResponse<Buffer> r = publish(trusting(), "over h1");
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals(HttpVersion.HTTP_1_1, r.version());
    assertEquals("over h1", sink.await("/tls", 1, 10_000).get(0).body().toString());
  }

  @Test
  void publish_over_https_with_http_2_negotiated_by_alpn(Vertx vertx) throws Exception {
    startFerry(vertx, true, "TLSv1.2");
    HttpResponse<Buffer> r =
        publish(trusting().setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true), "over h2");
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals(HttpVersion.HTTP_2, r.version());
    assertEquals("over h2", sink.await("/tls", 1, 10_000).get(0).body().toString());
  }

  @Test
  void a_destination_of_4_kib_fits_in_http_2_headers(Vertx vertx) throws Exception {
    startFerry(vertx, true, "TLSv1.2");
    String query = "?q=" + "x".repeat(4096 - sink.url("/tls").length() - 3);
    client =
        WebClient.create(vertx, trusting().setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true));
    HttpResponse<Buffer> r =
        client
            .post("/v2/publish/" + sink.url("/tls" + query))
            .bearerTokenAuthentication(TestFerry.TOKEN)
            .putHeader("Upstash-Forward-X-Trace", "t".repeat(1000))
            .sendBuffer(Buffer.buffer("long"))
            .await(10, TimeUnit.SECONDS);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals(HttpVersion.HTTP_2, r.version());
    assertEquals(4096, sink.url("/tls" + query).length());
    assertEquals("/tls" + query, sink.await("/tls", 1, 10_000).get(0).uri());
  }

  @Test
  void with_http2_off_an_alpn_client_asking_for_h2_gets_http_1_1(Vertx vertx) throws Exception {
    startFerry(vertx, false, "TLSv1.2");
    HttpResponse<Buffer> r =
        publish(trusting().setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true), "h2 off");
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals(HttpVersion.HTTP_1_1, r.version());
  }

  @Test
  void without_tls_the_port_speaks_http_2_in_clear_text_to_a_prior_knowledge_client(Vertx vertx)
      throws Exception {
    ferry = TestFerry.start(vertx, TestFerry.config(dir.resolve("data")));
    HttpResponse<Buffer> r =
        publish(
            new WebClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false)
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(ferry.port()),
            "over h2c");
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals(HttpVersion.HTTP_2, r.version());
    assertEquals("over h2c", sink.await("/tls", 1, 10_000).get(0).body().toString());
  }

  @Test
  void the_openssl_engine_from_tcnative_serves_tls() throws Exception {
    assertTrue(OpenSsl.isAvailable(), "OpenSSL unavailable: " + OpenSsl.unavailabilityCause());
    assertTrue(TlsEngine.openSsl());
    assertNotNull(
        getClass()
            .getClassLoader()
            .getResource("META-INF/native/libnetty_tcnative_linux_x86_64.so"),
        "the native BoringSSL library is on the class path (and so in the shaded jar)");
    ServerTls tls =
        ServerTls.load(
            vertx,
            new FerryConfig.HttpTls(
                true,
                serverCert.writeCertificate(dir.resolve("c.pem")).toString(),
                serverCert.writeKey(dir.resolve("k.pem")).toString(),
                true,
                "TLSv1.2"));
    HttpServerOptions options = tls.applyTo(new HttpServerOptions());
    assertTrue(options.isSsl());
    assertTrue(options.isUseAlpn());
    assertInstanceOf(OpenSSLEngineOptions.class, options.getSslEngineOptions());
    assertEquals(Set.of("TLSv1.2", "TLSv1.3"), options.getEnabledSecureTransportProtocols());
    assertTrue(tls.describe().contains("OpenSSL engine"), tls.describe());
  }

  @Test
  void a_client_speaking_only_tls_1_1_is_refused(Vertx vertx) throws Exception {
    // Control: this client does complete a TLS 1.1 handshake with a server that allows it...
    HttpServer old =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setSsl(true)
                    .setHost("127.0.0.1")
                    .setPort(0)
                    .setKeyCertOptions(serverCert.keyCertOptions())
                    .setSslEngineOptions(new OpenSSLEngineOptions())
                    .setEnabledSecureTransportProtocols(Set.of("TLSv1.1")))
            .requestHandler(req -> req.response().end("tls 1.1 works"))
            .listen()
            .await(10, TimeUnit.SECONDS);
    try {
      WebClient tls11 = WebClient.create(vertx, tls11Only());
      assertEquals(
          "tls 1.1 works",
          tls11
              .get(old.actualPort(), "127.0.0.1", "/")
              .send()
              .await(10, TimeUnit.SECONDS)
              .bodyAsString());
      tls11.close();
    } finally {
      old.close().await(10, TimeUnit.SECONDS);
    }
    // ...and Ferry refuses the same handshake.
    startFerry(vertx, true, "TLSv1.2");
    client = WebClient.create(vertx, tls11Only());
    Exception refused =
        assertThrows(
            Exception.class,
            () ->
                client
                    .post(ferry.port(), "127.0.0.1", "/v2/publish/" + sink.url("/tls"))
                    .bearerTokenAuthentication(TestFerry.TOKEN)
                    .sendBuffer(Buffer.buffer("old"))
                    .await(10, TimeUnit.SECONDS));
    assertTrue(causedBy(refused, SSLException.class), refused.toString());
    assertTrue(sink.received().isEmpty());
  }

  @Test
  void with_min_version_1_3_a_tls_1_2_client_is_refused_and_a_1_3_client_accepted(Vertx vertx)
      throws Exception {
    startFerry(vertx, true, "TLSv1.3");
    client =
        WebClient.create(vertx, trusting().setEnabledSecureTransportProtocols(Set.of("TLSv1.2")));
    Exception refused =
        assertThrows(
            Exception.class, () -> client.get("/health/live").send().await(10, TimeUnit.SECONDS));
    assertTrue(causedBy(refused, SSLException.class), refused.toString());
    client.close();
    client =
        WebClient.create(vertx, trusting().setEnabledSecureTransportProtocols(Set.of("TLSv1.3")));
    assertEquals(200, client.get("/health/live").send().await(10, TimeUnit.SECONDS).statusCode());
  }

  @Test
  void plain_http_on_the_tls_port_gets_no_answer(Vertx vertx) throws Exception {
    startFerry(vertx, true, "TLSv1.2");
    client = WebClient.create(vertx);
    assertThrows(
        Exception.class,
        () ->
            client
                .get(ferry.port(), "127.0.0.1", "/health/live")
                .send()
                .await(10, TimeUnit.SECONDS));
  }

  /**
   * TLS 1.1 only, through BoringSSL (the JDK's engine disables TLS 1.1 itself, which would prove
   * nothing).
   */
  private static WebClientOptions tls11Only() {
    return new WebClientOptions()
        .setSsl(true)
        .setTrustAll(true)
        .setVerifyHost(false)
        .setSslEngineOptions(new OpenSSLEngineOptions())
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.1"));
  }

  private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) return true;
    }
    return false;
  }
}
