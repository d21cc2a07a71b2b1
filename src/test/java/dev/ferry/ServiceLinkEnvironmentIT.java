package dev.ferry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.FerryProcess;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ferry as a separate process with the environment a kubelet gives a pod in a namespace that holds
 * the shipped Services ({@code conf/kubernetes/service.yaml}, read here, so a renamed Service or a
 * new port keeps this honest): it starts and turns ready, ignoring those variables; a mistyped
 * configuration variable next to them still stops it. The process is {@code java -jar
 * target/ferry.jar}, as a user or the container starts it: an integration test, run by failsafe
 * after {@code package}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ServiceLinkEnvironmentIT {
  /** The jar {@code mvn package} built; failsafe passes its path (see pom.xml). */
  private static final Path JAR = Path.of(System.getProperty("ferry.jar", "target/ferry.jar"));

  /** A made-up cluster IP; nothing connects to it. */
  private static final String CLUSTER_IP = "10.96.0.12";

  @TempDir Path dir;

  /**
   * What the kubelet adds to a container for every Service of the namespace that has a cluster IP
   * (headless ones get nothing): {@code <SVC>_SERVICE_HOST}, {@code _SERVICE_PORT}, {@code
   * _SERVICE_PORT_<NAME>} per named port, and the docker-link style {@code <SVC>_PORT} (first port)
   * and {@code <SVC>_PORT_<n>_<PROTO>[_PROTO|_PORT|_ADDR]} per port.
   */
  static Map<String, String> kubeletVariables(String clusterIp) throws Exception {
    Map<String, String> env = new TreeMap<>();
    for (JsonObject service : Manifests.documents("service.yaml")) {
      if (!"Service".equals(service.getString("kind"))) continue;
      JsonObject spec = service.getJsonObject("spec");
      if ("None".equals(spec.getString("clusterIP"))
          || "ExternalName".equals(spec.getString("type"))) continue;
      String svc =
          service
              .getJsonObject("metadata")
              .getString("name")
              .toUpperCase(Locale.ROOT)
              .replace('-', '_');
      var ports = Manifests.objects(spec.getJsonArray("ports"));
      env.put(svc + "_SERVICE_HOST", clusterIp);
      env.put(svc + "_SERVICE_PORT", String.valueOf(ports.get(0).getInteger("port")));
      for (int i = 0; i < ports.size(); i++) {
        JsonObject port = ports.get(i);
        String number = String.valueOf(port.getInteger("port"));
        String protocol = port.getString("protocol", "TCP");
        String url = protocol.toLowerCase(Locale.ROOT) + "://" + clusterIp + ":" + number;
        if (port.getString("name") != null) {
          env.put(
              svc
                  + "_SERVICE_PORT_"
                  + port.getString("name").toUpperCase(Locale.ROOT).replace('-', '_'),
              number);
        }
        if (i == 0) env.put(svc + "_PORT", url);
        String prefix = svc + "_PORT_" + number + "_" + protocol;
        env.put(prefix, url);
        env.put(prefix + "_PROTO", protocol.toLowerCase(Locale.ROOT));
        env.put(prefix + "_PORT", number);
        env.put(prefix + "_ADDR", clusterIp);
      }
    }
    assertTrue(
        env.keySet().stream().anyMatch(name -> name.startsWith("FERRY_")),
        "the shipped Services give no FERRY_* variables, so this test no longer exercises anything: "
            + env);
    return env;
  }

  @Test
  void ferry_starts_and_turns_ready_with_the_variables_a_kubelet_injects_for_the_shipped_services(
      Vertx vertx) throws Exception {
    Map<String, String> env = kubeletVariables(CLUSTER_IP);

    try (FerryProcess ferry = FerryProcess.create(vertx, dir, new JsonObject()).usingJar(JAR)) {
      ferry.start(env).awaitReady(90_000);

      String log = ferry.logText();
      long links = env.keySet().stream().filter(name -> name.startsWith("FERRY_")).count();
      assertTrue(log.contains("ignored " + links + " FERRY_* variables that Kubernetes sets"), log);
      env.keySet().stream()
          .filter(name -> name.startsWith("FERRY_"))
          .forEach(
              name -> assertTrue(log.contains(name), name + " is not named in the log:\n" + log));
      assertFalse(log.contains(CLUSTER_IP), "the log shows the variables' values:\n" + log);
      ferry.stop();
    }
  }

  @Test
  void a_mistyped_configuration_variable_beside_them_still_stops_start_up_naming_it(Vertx vertx)
      throws Exception {
    Map<String, String> env = new TreeMap<>(kubeletVariables(CLUSTER_IP));
    env.put("FERRY_METRIC_PORT", "9090"); // metrics.port is FERRY_METRICS_PORT

    try (FerryProcess ferry = FerryProcess.create(vertx, dir, new JsonObject()).usingJar(JAR)) {
      ferry.start(env);
      assertEquals(
          2,
          ferry.awaitExit(90_000),
          "exit status of a configuration error; log:\n" + ferry.logText());

      String log = ferry.logText();
      assertTrue(log.contains("FERRY_METRIC_PORT: unknown configuration variable"), log);
      assertEquals(
          1,
          log.lines().filter(line -> line.contains("unknown configuration variable")).count(),
          "only the typo is refused:\n" + log);
    }
  }
}
