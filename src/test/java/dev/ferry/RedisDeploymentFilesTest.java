package dev.ferry;

import static dev.ferry.Manifests.containerPort;
import static dev.ferry.Manifests.name;
import static dev.ferry.Manifests.objects;
import static dev.ferry.Manifests.only;
import static dev.ferry.Manifests.onlyContainer;
import static dev.ferry.Manifests.podLabels;
import static dev.ferry.Manifests.podTemplate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.ConfigException;
import dev.ferry.config.ConfigLoader;
import dev.ferry.config.FerryConfig;
import dev.ferry.health.HealthHandler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps {@code conf/kubernetes/redis} (stateless Ferry replicas on the Redis store) and its example
 * Redis ({@code example-redis/}) honest against the code and each other: the environment makes a
 * valid configuration, the pods are stateless and spread, the autoscaler, budget, probes and
 * shutdown fit, and Ferry's endpoint and password are the example Redis's. {@link
 * DeploymentFilesTest} does the same for the embedded store's StatefulSet.
 */
class RedisDeploymentFilesTest {
  private static final Path DIR = Manifests.REDIS;
  private static final Path EXAMPLE = DIR.resolve("example-redis");

  /**
   * The variables of the Redis store's configuration (issue #15), which is written on another
   * branch: until {@link FerryConfig.Storage} has its {@code redis} part, start-up refuses these
   * (and only these), and the rest of the environment must load without them. Once it has, the
   * whole environment must load as it is.
   */
  private static final Set<String> PENDING =
      Set.of("FERRY_STORAGE_KIND", "FERRY_STORAGE_REDIS_ENDPOINTS", "FERRY_STORAGE_REDIS_PASSWORD");

  @TempDir Path dir;

  // --- reading
  // ------------------------------------------------------------------------------------------------------

  private static JsonObject deployment() throws IOException {
    return only(DIR.resolve("deployment.yaml"), "Deployment");
  }

  private static JsonObject podSpec() throws IOException {
    return podTemplate(deployment()).getJsonObject("spec");
  }

  private static JsonObject container() throws IOException {
    return onlyContainer(podSpec());
  }

  /** Each Secret of {@code secret.yaml} by name: its example keys and values. */
  private static Map<String, JsonObject> secrets() throws IOException {
    Map<String, JsonObject> secrets = new LinkedHashMap<>();
    for (JsonObject doc : Manifests.documents(DIR.resolve("secret.yaml"))) {
      assertEquals("Secret", doc.getString("kind"));
      secrets.put(name(doc), doc.getJsonObject("stringData"));
    }
    return secrets;
  }

  /**
   * A {@code secretKeyRef}'s value from {@code secret.yaml}; fails if the Secret or key is not
   * there.
   */
  private static String secretValue(JsonObject ref) throws IOException {
    JsonObject secret = secrets().get(ref.getString("name"));
    assertNotNull(secret, "secret.yaml has no Secret " + ref.getString("name"));
    String value = secret.getString(ref.getString("key"));
    assertNotNull(value, "Secret " + ref.getString("name") + " has no key " + ref.getString("key"));
    return value;
  }

  /**
   * The container's environment: the Dockerfile's ENV, then the Deployment's (Secrets resolved).
   */
  private static Map<String, String> containerEnvironment() throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    String dockerfile = Files.readString(Path.of("Dockerfile")).replaceAll("\\\\\\n", " ");
    for (String line : dockerfile.lines().map(String::trim).toList()) {
      if (!line.startsWith("ENV ")) continue;
      Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\\S+)").matcher(line);
      while (m.find()) env.put(m.group(1), m.group(2));
    }
    for (JsonObject var : objects(container().getJsonArray("env"))) {
      String value = var.getString("value");
      if (value == null) {
        value = secretValue(var.getJsonObject("valueFrom").getJsonObject("secretKeyRef"));
      }
      env.put(var.getString("name"), value);
    }
    return env;
  }

  private static JsonObject configMapJson() throws IOException {
    return new JsonObject(
        only(DIR.resolve("configmap.yaml"), "ConfigMap")
            .getJsonObject("data")
            .getString("ferry.json"));
  }

  private static boolean redisStoreLanded() {
    return Arrays.stream(FerryConfig.Storage.class.getRecordComponents())
        .anyMatch(c -> c.getName().equals("redis"));
  }

  /**
   * What Ferry would run with in the pod: the ConfigMap's file plus the container's environment.
   */
  private FerryConfig podConfig() throws IOException {
    Path file = Files.writeString(dir.resolve("ferry.json"), configMapJson().encode());
    String[] args = {"--config", file.toString()};
    Map<String, String> env = containerEnvironment();
    if (redisStoreLanded()) return ConfigLoader.load(args, env);
    ConfigException refused =
        assertThrows(ConfigException.class, () -> ConfigLoader.load(args, env));
    for (String problem : refused.problems()) {
      assertTrue(
          problem.startsWith("storage.kind") || PENDING.stream().anyMatch(problem::startsWith),
          "only the Redis store's variables may be refused until it lands: " + problem);
    }
    Map<String, String> rest = new LinkedHashMap<>(env);
    rest.keySet().removeAll(PENDING);
    return ConfigLoader.load(args, rest);
  }

  // --- Ferry's replicas
  // ---------------------------------------------------------------------------------------------

  @Test
  void the_config_map_is_conf_ferry_json() throws IOException {
    assertEquals(new JsonObject(Files.readString(Path.of("conf", "ferry.json"))), configMapJson());
  }

  @Test
  void each_kustomization_lists_every_manifest_of_its_directory_but_the_example_secrets()
      throws IOException {
    assertEquals(yamlFiles(DIR, "kustomization.yaml", "secret.yaml"), resources(DIR));
    assertEquals(yamlFiles(EXAMPLE, "kustomization.yaml"), resources(EXAMPLE));
  }

  private static Set<String> yamlFiles(Path directory, String... except) throws IOException {
    Set<String> files = new TreeSet<>();
    try (Stream<Path> list = Files.list(directory)) {
      list.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .forEach(files::add);
    }
    files.removeAll(List.of(except));
    return files;
  }

  private static Set<String> resources(Path directory) throws IOException {
    JsonObject kustomization = only(directory.resolve("kustomization.yaml"), "Kustomization");
    return new TreeSet<>(kustomization.getJsonArray("resources").getList());
  }

  @Test
  void every_environment_variable_is_a_configuration_key_and_makes_a_valid_config()
      throws IOException {
    Map<String, String> env = containerEnvironment();
    assertTrue(
        env.keySet().stream().allMatch(n -> n.startsWith("FERRY_")),
        "only FERRY_*: " + env.keySet());
    assertTrue(env.keySet().containsAll(PENDING), "the Redis store, its endpoints and password");
    assertEquals("redis", env.get("FERRY_STORAGE_KIND"));

    FerryConfig config = podConfig(); // throws, naming the variable, if one is unknown or bad

    if (redisStoreLanded()) assertEquals("redis", config.storage().kind());
    assertFalse(config.tenants().get(0).tokens().isEmpty(), "tokens come from the Secret");
    assertEquals(containerPort(container(), "http"), config.http().port());
    assertTrue(config.metrics().enabled(), "the probes and the scrape need the management port");
    assertEquals(containerPort(container(), "management"), config.metrics().port());
  }

  @Test
  void probes_and_the_scrape_use_the_management_port_and_ferrys_paths() throws IOException {
    Map<String, String> expected =
        Map.of(
            "startupProbe", HealthHandler.LIVE,
            "livenessProbe", HealthHandler.LIVE,
            "readinessProbe", HealthHandler.READY);
    for (Map.Entry<String, String> probe : expected.entrySet()) {
      JsonObject get = container().getJsonObject(probe.getKey()).getJsonObject("httpGet");
      assertEquals(probe.getValue(), get.getString("path"), probe.getKey());
      assertEquals("management", get.getValue("port"), probe.getKey());
    }
    JsonObject annotations =
        podTemplate(deployment()).getJsonObject("metadata").getJsonObject("annotations");
    assertEquals("true", annotations.getString("prometheus.io/scrape"));
    assertEquals(
        String.valueOf(containerPort(container(), "management")),
        annotations.getString("prometheus.io/port"));
    assertEquals("/metrics", annotations.getString("prometheus.io/path"));
  }

  @Test
  void replicas_warm_up_before_serving_within_the_startup_probes_patience() throws IOException {
    Duration warmUp = podConfig().startup().warmUp();
    assertTrue(warmUp.toSeconds() >= 15, "a new replica warms up (docs/operations.md)");
    JsonObject probe = container().getJsonObject("startupProbe");
    long patience = probe.getLong("periodSeconds") * probe.getLong("failureThreshold");
    assertTrue(
        patience >= warmUp.toSeconds() + 60,
        "the startup probe waits " + patience + " s; the warm-up takes " + warmUp);
  }

  @Test
  void the_pod_takes_no_service_link_variables_and_the_service_exposes_only_the_api()
      throws IOException {
    assertEquals(Boolean.FALSE, podSpec().getValue("enableServiceLinks"));
    JsonObject service = only(DIR.resolve("service.yaml"), "Service");
    assertEquals(podLabels(deployment()), service.getJsonObject("spec").getJsonObject("selector"));
    List<JsonObject> ports = objects(service.getJsonObject("spec").getJsonArray("ports"));
    assertEquals(1, ports.size());
    assertEquals("http", ports.get(0).getValue("targetPort"));
  }

  @Test
  void stateless_replicas_spread_over_nodes_and_scaled_by_the_autoscaler_from_three()
      throws IOException {
    JsonObject spec = deployment().getJsonObject("spec");
    assertEquals(
        podLabels(deployment()), spec.getJsonObject("selector").getJsonObject("matchLabels"));
    assertNull(spec.getValue("replicas"), "the autoscaler owns the count; apply would reset it");
    assertEquals(
        0,
        spec.getJsonObject("strategy").getJsonObject("rollingUpdate").getInteger("maxUnavailable"));
    for (JsonObject volume : objects(podSpec().getJsonArray("volumes"))) {
      assertTrue(
          volume.containsKey("emptyDir") || volume.containsKey("configMap"),
          "no state on the pod: " + volume);
    }
    String dataDir = podConfig().storage().dataDir().toString();
    assertTrue(
        objects(container().getJsonArray("volumeMounts")).stream()
            .anyMatch(m -> m.getString("mountPath").equals(dataDir)),
        "storage.dataDir " + dataDir + " is on an emptyDir, not the read-only root filesystem");

    JsonObject term =
        objects(
                podSpec()
                    .getJsonObject("affinity")
                    .getJsonObject("podAntiAffinity")
                    .getJsonArray("preferredDuringSchedulingIgnoredDuringExecution"))
            .get(0)
            .getJsonObject("podAffinityTerm");
    assertEquals("kubernetes.io/hostname", term.getString("topologyKey"));
    assertEquals(
        podLabels(deployment()), term.getJsonObject("labelSelector").getJsonObject("matchLabels"));

    JsonObject hpa = only(DIR.resolve("hpa.yaml"), "HorizontalPodAutoscaler").getJsonObject("spec");
    JsonObject target = hpa.getJsonObject("scaleTargetRef");
    assertEquals(
        List.of("apps/v1", "Deployment", name(deployment())),
        List.of(
            target.getString("apiVersion"), target.getString("kind"), target.getString("name")));
    assertEquals(3, hpa.getInteger("minReplicas"));
    assertTrue(hpa.getInteger("maxReplicas") > hpa.getInteger("minReplicas"));
    assertEquals(
        "cpu",
        hpa.getJsonArray("metrics").getJsonObject(0).getJsonObject("resource").getString("name"));
    assertNotNull(
        container().getJsonObject("resources").getJsonObject("requests").getValue("cpu"),
        "CPU utilisation is measured against the request");
  }

  @Test
  void one_replica_at_a_time_may_be_evicted() throws IOException {
    JsonObject pdb = only(DIR.resolve("pdb.yaml"), "PodDisruptionBudget").getJsonObject("spec");
    assertEquals(1, pdb.getInteger("maxUnavailable"));
    assertNull(pdb.getValue("minAvailable"));
    assertEquals(
        podLabels(deployment()), pdb.getJsonObject("selector").getJsonObject("matchLabels"));
  }

  @Test
  void shutdown_fits_in_the_grace_period() throws IOException {
    JsonArray command =
        container()
            .getJsonObject("lifecycle")
            .getJsonObject("preStop")
            .getJsonObject("exec")
            .getJsonArray("command");
    assertEquals("sleep", command.getString(0));
    long sleep = Long.parseLong(command.getString(1));
    long shutdown = podConfig().shutdown().gracePeriod().toSeconds();
    long grace = podSpec().getLong("terminationGracePeriodSeconds");
    assertTrue(
        grace >= sleep + shutdown + 5, grace + "s < " + sleep + "s + " + shutdown + "s + 5s");
  }

  @Test
  void the_config_map_is_mounted_where_the_image_reads_it() throws IOException {
    String configMap = name(only(DIR.resolve("configmap.yaml"), "ConfigMap"));
    JsonObject volume =
        objects(podSpec().getJsonArray("volumes")).stream()
            .filter(v -> v.containsKey("configMap"))
            .findFirst()
            .orElseThrow();
    assertEquals(configMap, volume.getJsonObject("configMap").getString("name"));
    String mountPath =
        objects(container().getJsonArray("volumeMounts")).stream()
            .filter(m -> m.getString("name").equals(volume.getString("name")))
            .findFirst()
            .orElseThrow()
            .getString("mountPath");
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    assertTrue(dockerfile.contains("\"--config\", \"" + mountPath + "/ferry.json\""), mountPath);
  }

  // --- the example Redis
  // --------------------------------------------------------------------------------------------

  @Test
  void the_example_redis_is_marked_as_one_and_keeps_an_fsynced_aof_on_a_volume()
      throws IOException {
    for (String file : yamlFiles(EXAMPLE)) {
      assertTrue(
          Files.readString(EXAMPLE.resolve(file)).startsWith("# EXAMPLE ONLY"),
          file + " says it is an example");
    }
    JsonObject redis = only(EXAMPLE.resolve("statefulset.yaml"), "StatefulSet");
    assertEquals(1, redis.getJsonObject("spec").getInteger("replicas"));
    JsonObject container = onlyContainer(podTemplate(redis).getJsonObject("spec"));
    String command = String.join(" ", container.getJsonArray("args").getList());
    for (String option :
        List.of("--appendonly yes", "--appendfsync always", "--maxmemory-policy noeviction")) {
      assertTrue(command.contains(option), option + " in: " + command);
    }
    Matcher dir = Pattern.compile("--dir (\\S+)").matcher(command);
    assertTrue(dir.find(), command);
    String claim =
        objects(redis.getJsonObject("spec").getJsonArray("volumeClaimTemplates"))
            .get(0)
            .getJsonObject("metadata")
            .getString("name");
    assertTrue(
        objects(container.getJsonArray("volumeMounts")).stream()
            .anyMatch(
                m ->
                    m.getString("name").equals(claim)
                        && m.getString("mountPath").equals(dir.group(1))),
        "the AOF directory " + dir.group(1) + " is the volume " + claim);
  }

  @Test
  void ferry_connects_to_the_example_redis_with_the_password_it_requires() throws IOException {
    JsonObject redis = only(EXAMPLE.resolve("statefulset.yaml"), "StatefulSet");
    JsonObject service = only(EXAMPLE.resolve("service.yaml"), "Service");
    assertEquals(podLabels(redis), service.getJsonObject("spec").getJsonObject("selector"));
    assertEquals(
        podLabels(redis),
        redis.getJsonObject("spec").getJsonObject("selector").getJsonObject("matchLabels"));
    assertEquals(name(service), redis.getJsonObject("spec").getString("serviceName"));
    JsonObject port = service.getJsonObject("spec").getJsonArray("ports").getJsonObject(0);
    JsonObject container = onlyContainer(podTemplate(redis).getJsonObject("spec"));
    containerPort(container, port.getString("targetPort"));

    URI endpoint = URI.create(containerEnvironment().get("FERRY_STORAGE_REDIS_ENDPOINTS"));
    assertEquals("redis", endpoint.getScheme());
    assertEquals(name(service), endpoint.getHost());
    assertEquals(port.getInteger("port"), endpoint.getPort());

    JsonObject ferryPassword = secretRef(container(), "FERRY_STORAGE_REDIS_PASSWORD");
    JsonObject redisPassword = secretRef(container, "REDIS_PASSWORD");
    assertEquals(ferryPassword, redisPassword, "the same Secret key on both sides");
    secretValue(ferryPassword);
  }

  private static JsonObject secretRef(JsonObject container, String variable) {
    return objects(container.getJsonArray("env")).stream()
        .filter(v -> v.getString("name").equals(variable))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no variable " + variable))
        .getJsonObject("valueFrom")
        .getJsonObject("secretKeyRef");
  }
}
