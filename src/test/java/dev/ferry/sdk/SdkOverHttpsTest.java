package dev.ferry.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.Ferry;
import dev.ferry.config.FerryConfig;
import dev.ferry.testing.TestPki;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official SDK's publish tests against Ferry over HTTPS ({@code http.tls}, certificate from a
 * test CA that Node is told to trust with {@code NODE_EXTRA_CA_CERTS}): a client switching to an
 * HTTPS {@code QSTASH_URL} changes nothing else. One file of the suite, as the rest of it runs over
 * plain HTTP in {@link SdkCompatibilityTest}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SdkOverHttpsTest {
  @TempDir Path dir;

  @Test
  void official_js_sdk_publishes_over_https(Vertx vertx) throws Exception {
    Path node = SdkCompatibilityTest.NODE.tool("node");
    SdkCompatibilityTest.NODE.ensureDependencies();
    TestPki.Issued ca = TestPki.ca("Ferry SDK Test CA");
    TestPki.Issued cert = TestPki.server(ca, "localhost", "127.0.0.1");
    FerryConfig config =
        SdkCompatibilityTest.configs(dir.resolve("data"))
            .set("http.tls.enabled", true)
            .set("http.tls.certPath", cert.writeCertificate(dir.resolve("cert.pem")))
            .set("http.tls.keyPath", cert.writeKey(dir.resolve("key.pem")))
            .build();
    Ferry ferry = Ferry.start(vertx, config).await(30, TimeUnit.SECONDS);
    try {
      dev.ferry.testing.NodeProject.Run run =
          SdkCompatibilityTest.NODE.run(
              List.of(node.toString(), "--test", "--test-reporter=spec", "publish.test.mjs"),
              Map.of(
                  "FERRY_URL", "https://127.0.0.1:" + ferry.port(),
                  "NODE_EXTRA_CA_CERTS", ca.writeCertificate(dir.resolve("ca.pem")).toString(),
                  "QSTASH_TOKEN", SdkCompatibilityTest.DEV_TOKEN,
                  "QSTASH_CURRENT_SIGNING_KEY", SdkCompatibilityTest.DEV_CURRENT_KEY,
                  "QSTASH_NEXT_SIGNING_KEY", SdkCompatibilityTest.DEV_NEXT_KEY),
              Duration.ofMinutes(3));

      assertEquals(
          0, run.exitCode(), () -> "node --test failed over HTTPS; its output:\n" + run.output());
      int tests = SdkCompatibilityTest.count(run.output(), "tests");
      assertTrue(tests > 0, () -> "node ran no test; its output:\n" + run.output());
      assertEquals(
          tests,
          SdkCompatibilityTest.count(run.output(), "pass"),
          () -> "not every test passed:\n" + run.output());
    } finally {
      ferry.close().await(30, TimeUnit.SECONDS);
    }
  }
}
