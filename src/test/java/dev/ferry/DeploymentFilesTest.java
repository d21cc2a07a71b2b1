package dev.ferry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.ConfigLoader;
import dev.ferry.config.FerryConfig;
import dev.ferry.health.HealthHandler;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the Kubernetes manifests ({@code conf/kubernetes}) and the {@code Dockerfile} honest
 * against the code: every environment variable they set is a configuration key the loader accepts,
 * ports and probe paths are the ones Ferry serves, the ConfigMap is {@code conf/ferry.json}, and
 * names referenced across manifests exist.
 */
@ExtendWith(VertxExtension.class)
class DeploymentFilesTest {
  private static final Path KUBERNETES = Manifests.KUBERNETES;
  private static final Path DOCKERFILE = Path.of("Dockerfile");

  @TempDir Path dir;

  // --- reading
  // ------------------------------------------------------------------------------------------------------

  private static List<JsonObject> documents(String file) throws IOException {
    return Manifests.documents(file);
  }

  private static JsonObject only(String file, String kind) throws IOException {
    List<JsonObject> found =
        documents(file).stream().filter(d -> kind.equals(d.getString("kind"))).toList();
    assertEquals(1, found.size(), file + " should hold one " + kind);
    return found.get(0);
  }

  private static JsonObject statefulSet() throws IOException {
    return only("statefulset.yaml", "StatefulSet");
  }

  private static JsonObject podSpec() throws IOException {
    return statefulSet().getJsonObject("spec").getJsonObject("template").getJsonObject("spec");
  }

  private static JsonObject container() throws IOException {
    JsonArray containers = podSpec().getJsonArray("containers");
    assertEquals(1, containers.size());
    return containers.getJsonObject(0);
  }

  private static List<JsonObject> objects(JsonArray array) {
    return Manifests.objects(array);
  }

  private static List<String> dockerfile() throws IOException {
    // join continuation lines, drop comments
    String text = Files.readString(DOCKERFILE).replaceAll("\\\\\\n", " ");
    return text.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }

  private static List<String> dockerfile(String instruction) throws IOException {
    return dockerfile().stream()
        .filter(l -> l.startsWith(instruction + " "))
        .map(l -> l.substring(instruction.length() + 1).trim())
        .toList();
  }

  /**
   * The environment the container gets: the Dockerfile's ENV, then the StatefulSet's env (values
   * from the Secret).
   */
  private static Map<String, String> containerEnvironment() throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : dockerfile("ENV")) {
      Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\\S+)").matcher(line);
      while (m.find()) env.put(m.group(1), m.group(2));
    }
    JsonObject secret = only("secret.yaml", "Secret");
    for (JsonObject var : objects(container().getJsonArray("env"))) {
      String value = var.getString("value");
      if (value == null) {
        JsonObject ref = var.getJsonObject("valueFrom").getJsonObject("secretKeyRef");
        assertEquals(secret.getJsonObject("metadata").getString("name"), ref.getString("name"));
        value = secret.getJsonObject("stringData").getString(ref.getString("key"));
        assertNotNull(value, "the Secret has no key " + ref.getString("key"));
      }
      env.put(var.getString("name"), value);
    }
    return env;
  }

  /**
   * What Ferry would run with in the pod: the ConfigMap's file plus the container's environment.
   */
  private FerryConfig podConfig() throws IOException {
    Path file = Files.writeString(dir.resolve("ferry.json"), configMapJson().encode());
    return ConfigLoader.load(new String[] {"--config", file.toString()}, containerEnvironment());
  }

  private static JsonObject configMapJson() throws IOException {
    return new JsonObject(
        only("configmap.yaml", "ConfigMap").getJsonObject("data").getString("ferry.json"));
  }

  /** The API port: the container port named {@code http}. */
  private static int containerPort() throws IOException {
    return containerPort("http");
  }

  private static int containerPort(String name) throws IOException {
    List<JsonObject> ports = objects(container().getJsonArray("ports"));
    assertEquals(
        List.of("http", "management"), ports.stream().map(p -> p.getString("name")).toList());
    return ports.stream()
        .filter(p -> p.getString("name").equals(name))
        .findFirst()
        .orElseThrow()
        .getInteger("containerPort");
  }

  private static JsonObject podAnnotations() throws IOException {
    return statefulSet()
        .getJsonObject("spec")
        .getJsonObject("template")
        .getJsonObject("metadata")
        .getJsonObject("annotations");
  }

  // --- Kubernetes
  // ---------------------------------------------------------------------------------------------------

  @Test
  void the_config_map_is_conf_ferry_json() throws IOException {
    assertEquals(new JsonObject(Files.readString(Path.of("conf", "ferry.json"))), configMapJson());
  }

  @Test
  void the_kustomization_lists_every_manifest_but_the_example_secret() throws IOException {
    Set<String> files = new TreeSet<>();
    try (Stream<Path> list = Files.list(KUBERNETES)) {
      list.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .forEach(files::add);
    }
    files.remove("kustomization.yaml");
    files.remove("secret.yaml");
    JsonArray resources = only("kustomization.yaml", "Kustomization").getJsonArray("resources");
    assertEquals(files, new TreeSet<>(resources.getList()));
  }

  @Test
  void every_environment_variable_is_a_configuration_key_and_makes_a_valid_config()
      throws IOException {
    Map<String, String> env = containerEnvironment();
    assertTrue(
        env.keySet().stream().allMatch(name -> name.startsWith("FERRY_")),
        "only FERRY_* variables, which the loader checks: " + env.keySet());
    assertTrue(env.containsKey("FERRY_TENANTS_0_TOKENS"), "tokens come from the Secret");

    FerryConfig config =
        podConfig(); // throws, naming the variable, if one is unknown or has a bad value

    assertEquals(1, config.tenants().size());
    assertFalse(config.tenants().get(0).tokens().isEmpty());
    assertEquals(containerPort(), config.http().port(), "container port http == http.port");
    assertTrue(
        config.metrics().enabled(), "the probes and the scrape need the management listener");
    assertEquals(
        containerPort("management"),
        config.metrics().port(),
        "container port management == metrics.port");
    String dataDir = config.storage().dataDir().toString();
    assertTrue(
        objects(container().getJsonArray("volumeMounts")).stream()
            .anyMatch(
                m ->
                    m.getString("name").equals("data") && m.getString("mountPath").equals(dataDir)),
        "the data volume is mounted at storage.dataDir " + dataDir);
  }

  @Test
  void probes_and_the_scrape_use_the_management_port_and_paths_that_ferry_serves_there(Vertx vertx)
      throws Exception {
    Map<String, String> paths = new LinkedHashMap<>();
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      JsonObject get = container().getJsonObject(probe).getJsonObject("httpGet");
      assertNotNull(get, probe + " is an HTTP probe");
      Object port = get.getValue("port");
      assertTrue(
          "management".equals(port) || Integer.valueOf(containerPort("management")).equals(port),
          probe + " port " + port);
      paths.put(probe, get.getString("path"));
    }
    assertEquals(HealthHandler.READY, paths.get("readinessProbe"));
    assertEquals(HealthHandler.LIVE, paths.get("livenessProbe"));
    assertEquals("true", podAnnotations().getString("prometheus.io/scrape"));
    assertEquals(
        String.valueOf(containerPort("management")),
        podAnnotations().getString("prometheus.io/port"));
    String scrape = podAnnotations().getString("prometheus.io/path").split("\\?")[0];

    try (TestFerry ferry = TestFerry.start(vertx, dir)) {
      for (Map.Entry<String, String> probe : paths.entrySet()) {
        assertEquals(
            200,
            ferry.getManagement(probe.getValue()).statusCode(),
            probe.getKey() + " " + probe.getValue());
      }
      assertEquals(200, ferry.getManagement(scrape).statusCode(), "the scrape annotation's path");
      assertEquals(
          404, ferry.get(scrape).statusCode(), "the scrape path is not served on the API port");
    }
  }

  @Test
  void the_pod_takes_no_service_link_variables_and_no_service_exposes_the_management_port()
      throws IOException {
    assertEquals(Boolean.FALSE, podSpec().getValue("enableServiceLinks"));
    int management = containerPort("management");
    for (JsonObject service : documents("service.yaml")) {
      for (JsonObject port : objects(service.getJsonObject("spec").getJsonArray("ports"))) {
        for (String key : List.of("port", "targetPort")) {
          Object value = port.getValue(key);
          assertFalse(
              "management".equals(value) || Integer.valueOf(management).equals(value),
              service.getJsonObject("metadata").getString("name")
                  + " exposes the management port as "
                  + key);
        }
      }
    }
  }

  @Test
  void one_replica_on_a_persistent_volume_with_resources_and_a_non_root_user() throws IOException {
    JsonObject spec = statefulSet().getJsonObject("spec");
    assertEquals(1, spec.getInteger("replicas"));
    List<JsonObject> claims = objects(spec.getJsonArray("volumeClaimTemplates"));
    assertEquals(
        List.of("data"),
        claims.stream().map(c -> c.getJsonObject("metadata").getString("name")).toList());
    assertEquals(
        new JsonArray().add("ReadWriteOnce"),
        claims.get(0).getJsonObject("spec").getJsonArray("accessModes"));

    JsonObject resources = container().getJsonObject("resources");
    for (String kind : List.of("requests", "limits")) {
      assertNotNull(resources.getJsonObject(kind).getString("memory"), kind + ".memory");
      assertNotNull(resources.getJsonObject(kind).getValue("cpu"), kind + ".cpu");
    }
    JsonObject security = podSpec().getJsonObject("securityContext");
    assertTrue(security.getBoolean("runAsNonRoot"));
    assertNotEquals(0, security.getInteger("runAsUser"));
    assertNotNull(
        security.getInteger("fsGroup"), "fsGroup makes the volume writable for the non-root user");
  }

  @Test
  void shutdown_fits_in_the_grace_period() throws IOException {
    JsonObject preStop = container().getJsonObject("lifecycle").getJsonObject("preStop");
    JsonArray command = preStop.getJsonObject("exec").getJsonArray("command");
    assertEquals("sleep", command.getString(0));
    long sleep = Long.parseLong(command.getString(1));
    long drain = podConfig().http().drainTimeout().toSeconds();
    long shutdown = podConfig().shutdown().gracePeriod().toSeconds();
    long grace = podSpec().getLong("terminationGracePeriodSeconds");
    // Ferry's whole shutdown (drain, delivery, store) ends within shutdown.gracePeriod; 5 s for the
    // JVM to exit
    assertTrue(
        grace >= sleep + shutdown + 5,
        "terminationGracePeriodSeconds "
            + grace
            + "s < preStop "
            + sleep
            + "s + shutdown.gracePeriod "
            + shutdown
            + "s + 5s");
    assertTrue(
        drain <= shutdown,
        "http.drainTimeout " + drain + "s is cut to shutdown.gracePeriod " + shutdown + "s");
  }

  @Test
  void names_referenced_across_manifests_exist() throws IOException {
    JsonObject podLabels =
        statefulSet()
            .getJsonObject("spec")
            .getJsonObject("template")
            .getJsonObject("metadata")
            .getJsonObject("labels");
    assertEquals(
        podLabels,
        statefulSet().getJsonObject("spec").getJsonObject("selector").getJsonObject("matchLabels"));

    List<JsonObject> services = documents("service.yaml");
    List<String> serviceNames =
        services.stream().map(s -> s.getJsonObject("metadata").getString("name")).toList();
    assertTrue(serviceNames.contains(statefulSet().getJsonObject("spec").getString("serviceName")));
    for (JsonObject service : services) {
      assertEquals(podLabels, service.getJsonObject("spec").getJsonObject("selector"));
      for (JsonObject port : objects(service.getJsonObject("spec").getJsonArray("ports"))) {
        Object target = port.getValue("targetPort");
        assertTrue(
            "http".equals(target) || Integer.valueOf(containerPort()).equals(target),
            "targetPort " + target);
      }
    }
    JsonObject pdb = only("pdb.yaml", "PodDisruptionBudget");
    assertEquals(
        podLabels,
        pdb.getJsonObject("spec").getJsonObject("selector").getJsonObject("matchLabels"));

    // the ConfigMap is mounted where the image's --config points
    String configMapName =
        only("configmap.yaml", "ConfigMap").getJsonObject("metadata").getString("name");
    JsonObject configVolume =
        objects(podSpec().getJsonArray("volumes")).stream()
            .filter(v -> v.containsKey("configMap"))
            .findFirst()
            .orElseThrow();
    assertEquals(configMapName, configVolume.getJsonObject("configMap").getString("name"));
    String mountPath =
        objects(container().getJsonArray("volumeMounts")).stream()
            .filter(m -> m.getString("name").equals(configVolume.getString("name")))
            .findFirst()
            .orElseThrow()
            .getString("mountPath");
    String entrypoint = String.join(" ", dockerfile("ENTRYPOINT"));
    assertTrue(entrypoint.contains("\"--config\", \"" + mountPath + "/ferry.json\""), entrypoint);
  }

  // --- Dockerfile
  // ---------------------------------------------------------------------------------------------------

  @Test
  void the_dockerfile_builds_in_one_stage_and_runs_non_root_with_a_health_check()
      throws IOException {
    List<String> from = dockerfile("FROM");
    assertTrue(from.size() >= 2 && from.get(0).contains(" AS build"), "multi-stage: " + from);
    assertTrue(dockerfile("COPY").stream().anyMatch(c -> c.startsWith("--from=build ")));

    List<String> user = dockerfile("USER");
    assertEquals(1, user.size());
    assertFalse(
        user.get(0).equals("root") || user.get(0).equals("0") || user.get(0).startsWith("0:"),
        user.get(0));

    assertEquals(
        List.of(
            FerryConfig.defaults().http().port() + " " + FerryConfig.defaults().metrics().port()),
        dockerfile("EXPOSE"));
    String healthcheck = String.join(" ", dockerfile("HEALTHCHECK"));
    assertTrue(healthcheck.contains(HealthHandler.READY), healthcheck);
    assertTrue(
        healthcheck.contains("FERRY_HTTP_PORT:-" + FerryConfig.defaults().http().port()),
        healthcheck);

    String entrypoint = String.join(" ", dockerfile("ENTRYPOINT"));
    assertTrue(entrypoint.contains("-XX:MaxRAMPercentage="), "container-aware heap: " + entrypoint);

    Map<String, String> env = new LinkedHashMap<>();
    for (String line : dockerfile("ENV")) {
      Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\\S+)").matcher(line);
      while (m.find()) env.put(m.group(1), m.group(2));
    }
    String volume = String.join(" ", dockerfile("VOLUME"));
    assertTrue(
        volume.contains("\"" + env.get("FERRY_STORAGE_DATA_DIR") + "\""),
        "data dir is the volume: " + volume);
  }
}
