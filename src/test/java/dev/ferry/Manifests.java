package dev.ferry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the Kubernetes manifests of {@code conf/kubernetes} (and of {@code conf/kubernetes/redis})
 * as JSON objects, for the tests that keep them honest.
 */
final class Manifests {
  static final Path KUBERNETES = Path.of("conf", "kubernetes");

  /** Ferry on the Redis store: a second kustomization base, and its example Redis below it. */
  static final Path REDIS = KUBERNETES.resolve("redis");

  private Manifests() {}

  /** Every document of a YAML file, in order. */
  static List<JsonObject> documents(String file) throws IOException {
    return documents(KUBERNETES.resolve(file));
  }

  /** Every document of the YAML file at {@code path}, in order. */
  static List<JsonObject> documents(Path path) throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<JsonObject> docs = new ArrayList<>();
    try (var it = yaml.readerFor(JsonNode.class).<JsonNode>readValues(path.toFile())) {
      while (it.hasNext()) {
        JsonNode node = it.next();
        if (node != null && !node.isNull()) docs.add(new JsonObject(node.toString()));
      }
    }
    return docs;
  }

  /**
   * The one document of {@code kind} in the file at {@code path}; fails if there are more or none.
   */
  static JsonObject only(Path path, String kind) throws IOException {
    List<JsonObject> found =
        documents(path).stream().filter(d -> kind.equals(d.getString("kind"))).toList();
    assertEquals(1, found.size(), path + " should hold one " + kind);
    return found.get(0);
  }

  static String name(JsonObject object) {
    return object.getJsonObject("metadata").getString("name");
  }

  /** The pod template of a Deployment or StatefulSet. */
  static JsonObject podTemplate(JsonObject workload) {
    return workload.getJsonObject("spec").getJsonObject("template");
  }

  static JsonObject podLabels(JsonObject workload) {
    return podTemplate(workload).getJsonObject("metadata").getJsonObject("labels");
  }

  static JsonObject onlyContainer(JsonObject podSpec) {
    JsonArray containers = podSpec.getJsonArray("containers");
    assertEquals(1, containers.size(), "one container");
    return containers.getJsonObject(0);
  }

  /** The number of the container's port named {@code name}; fails if there is none. */
  static int containerPort(JsonObject container, String name) {
    return objects(container.getJsonArray("ports")).stream()
        .filter(p -> p.getString("name").equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + name))
        .getInteger("containerPort");
  }

  static List<JsonObject> objects(JsonArray array) {
    List<JsonObject> list = new ArrayList<>();
    if (array != null) array.forEach(o -> list.add((JsonObject) o));
    return list;
  }
}
