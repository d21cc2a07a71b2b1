package dev.ferry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code http.tls} and {@code delivery.tls}: defaults, checks that name the key, environment
 * variables.
 */
class TlsConfigTest {
  @TempDir Path dir;

  private static String failure(JsonObject tree) {
    return assertThrows(ConfigException.class, () -> FerryConfig.from(tree)).getMessage();
  }

  private static JsonObject with(String section, JsonObject tls) {
    return TestTrees.valid().put(section, new JsonObject().put("tls", tls));
  }

  @Test
  void tls_is_off_inbound_and_verifying_with_the_jvm_cas_outbound_by_default() {
    FerryConfig config = FerryConfig.from(TestTrees.valid());
    assertEquals(new FerryConfig.HttpTls(false, "", "", true, "TLSv1.2"), config.http().tls());
    assertEquals(new FerryConfig.DeliveryTls("", "TLSv1.2"), config.delivery().tls());
  }

  @Test
  void enabled_https_needs_a_certificate_and_a_key() {
    String message = failure(with("http", new JsonObject().put("enabled", true)));
    assertTrue(
        message.contains("http.tls.certPath: must name a PEM file when http.tls.enabled is true"),
        message);
    assertTrue(message.contains("http.tls.keyPath: must name a PEM file"), message);
  }

  @Test
  void files_that_do_not_exist_are_named() {
    String missing = dir.resolve("nope.pem").toString();
    String message =
        failure(
            with(
                "http",
                new JsonObject()
                    .put("enabled", true)
                    .put("certPath", missing)
                    .put("keyPath", missing)));
    assertTrue(message.contains("http.tls.certPath: no readable file at " + missing), message);
    assertEquals(
        "delivery.tls.caPath: no readable file at " + missing,
        failure(with("delivery", new JsonObject().put("caPath", missing))));
  }

  @Test
  void tls_1_1_and_older_cannot_be_configured_in_either_direction() {
    assertEquals(
        "http.tls.minVersion: must be one of \"TLSv1.2\", \"TLSv1.3\", got \"TLSv1.1\"",
        failure(with("http", new JsonObject().put("minVersion", "TLSv1.1"))));
    assertEquals(
        "delivery.tls.minVersion: must be one of \"TLSv1.2\", \"TLSv1.3\", got \"TLSv1\"",
        failure(with("delivery", new JsonObject().put("minVersion", "TLSv1"))));
  }

  @Test
  void every_tls_key_has_an_environment_variable() throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
    Path key = Files.writeString(dir.resolve("key.pem"), "x");
    FerryConfig config =
        FerryConfig.from(
            EnvOverrides.apply(
                TestTrees.valid(),
                Map.of(
                    "FERRY_HTTP_TLS_ENABLED",
                    "true",
                    "FERRY_HTTP_TLS_CERT_PATH",
                    cert.toString(),
                    "FERRY_HTTP_TLS_KEY_PATH",
                    key.toString(),
                    "FERRY_HTTP_TLS_HTTP2",
                    "false",
                    "FERRY_HTTP_TLS_MIN_VERSION",
                    "TLSv1.3",
                    "FERRY_DELIVERY_TLS_CA_PATH",
                    cert.toString(),
                    "FERRY_DELIVERY_TLS_MIN_VERSION",
                    "TLSv1.3")));
    assertEquals(
        new FerryConfig.HttpTls(true, cert.toString(), key.toString(), false, "TLSv1.3"),
        config.http().tls());
    assertEquals(new FerryConfig.DeliveryTls(cert.toString(), "TLSv1.3"), config.delivery().tls());
  }
}
