package dev.ferry.tls;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.Ferry;
import dev.ferry.config.FerryConfig;
import dev.ferry.testing.TestConfigs;
import dev.ferry.testing.TestPki;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate, key and CA files are checked when Ferry starts: a bad one stops it with a message
 * naming the key.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsStartupTest {
  @TempDir Path dir;

  private String startFailure(Vertx vertx, FerryConfig config) {
    return assertThrows(
            Exception.class, () -> Ferry.start(vertx, config).await(30, TimeUnit.SECONDS))
        .getMessage();
  }

  private FerryConfig withHttpTls(String cert, String key) {
    return TestConfigs.of(dir.resolve("data"))
        .set("http.tls.enabled", true)
        .set("http.tls.certPath", cert)
        .set("http.tls.keyPath", key)
        .build();
  }

  @Test
  void a_key_that_does_not_belong_to_the_certificate_is_refused(Vertx vertx) throws Exception {
    TestPki.Issued ca = TestPki.ca("CA");
    String cert =
        TestPki.server(ca, "localhost").writeCertificate(dir.resolve("cert.pem")).toString();
    String otherKey =
        TestPki.server(ca, "localhost").writeKey(dir.resolve("other-key.pem")).toString();
    String message = startFailure(vertx, withHttpTls(cert, otherKey));
    assertTrue(
        message.startsWith(
            "http.tls.keyPath: the key in " + otherKey + " does not belong to the certificate"),
        message);
  }

  @Test
  void a_certificate_file_that_is_not_pem_is_refused(Vertx vertx) throws Exception {
    TestPki.Issued server = TestPki.server(TestPki.ca("CA"), "localhost");
    String key = server.writeKey(dir.resolve("key.pem")).toString();
    String junk = Files.writeString(dir.resolve("cert.pem"), "not a certificate").toString();
    String message = startFailure(vertx, withHttpTls(junk, key));
    assertTrue(
        message.startsWith("http.tls.certPath / http.tls.keyPath: cannot use " + junk), message);
  }

  @Test
  void a_ca_bundle_without_certificates_is_refused(Vertx vertx) throws Exception {
    String empty = Files.writeString(dir.resolve("ca.pem"), "").toString();
    String message =
        startFailure(
            vertx, TestConfigs.of(dir.resolve("data")).set("delivery.tls.caPath", empty).build());
    assertTrue(message.startsWith("delivery.tls.caPath: no certificate in " + empty), message);
  }
}
