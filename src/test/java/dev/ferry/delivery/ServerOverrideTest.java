package dev.ferry.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.egress.DestinationGuard;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.core.net.SocketAddress;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pins the Vert.x 5.0.7 behaviour {@link DestinationGuard} relies on: {@code
 * RequestOptions.setServer} picks the address connected to, while the URL's host still gives the
 * Host header, the TLS SNI and the name the certificate is checked against. The host names used
 * here resolve nowhere, so success also proves no lookup was made.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerOverrideTest {
  @Test
  void tls_request_to_a_vetted_address_keeps_host_header_sni_and_hostname_verification(Vertx vertx)
      throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create("hooks.ferry-test.invalid");
    AtomicReference<String> host = new AtomicReference<>();
    AtomicReference<String> sni = new AtomicReference<>();
    HttpServer server =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setSsl(true)
                    .setSni(true)
                    .setKeyCertOptions(cert.keyCertOptions()))
            .requestHandler(
                req -> {
                  host.set(req.getHeader("Host"));
                  sni.set(req.connection().indicatedServerName());
                  req.response().end("ok");
                })
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    int port = server.actualPort();
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(true)
                .setVerifyHost(true)
                .setTrustOptions(cert.trustOptions()));
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI("https://hooks.ferry-test.invalid:" + port + "/x")
            .setServer(SocketAddress.inetSocketAddress(port, "127.0.0.1"));
    String body =
        client
            .request(options)
            .compose(r -> r.send())
            .compose(r -> r.body())
            .await(10, TimeUnit.SECONDS)
            .toString();
    assertEquals("ok", body);
    assertEquals("hooks.ferry-test.invalid:" + port, host.get());
    assertEquals("hooks.ferry-test.invalid", sni.get());

    // the certificate is still checked against the URL's host, not the address connected to
    RequestOptions wrongName =
        new RequestOptions(options)
            .setAbsoluteURI("https://other.ferry-test.invalid:" + port + "/x");
    Exception refused =
        assertThrows(
            Exception.class,
            () -> client.request(wrongName).compose(r -> r.send()).await(10, TimeUnit.SECONDS));
    StringBuilder causes = new StringBuilder();
    for (Throwable t = refused; t != null; t = t.getCause()) causes.append(t).append(" / ");
    assertTrue(causes.toString().contains("other.ferry-test.invalid"), causes.toString());
    client.close();
    server.close();
  }
}
