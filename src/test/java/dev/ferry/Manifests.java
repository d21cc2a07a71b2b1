package dev.ferry;

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
 * Reads the Kubernetes manifests of {@code conf/kubernetes} as JSON objects, for the tests that
 * keep them honest.
 */
final class Manifests {
  static final Path KUBERNETES = Path.of("conf", "kubernetes");

  private Manifests() {}

  /** Every document of a YAML file, in order. */
  static List<JsonObject> documents(String file) throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<JsonObject> docs = new ArrayList<>();
    try (var it =
        yaml.readerFor(JsonNode.class).<JsonNode>readValues(KUBERNETES.resolve(file).toFile())) {
      while (it.hasNext()) {
        JsonNode node = it.next();
        if (node != null && !node.isNull()) docs.add(new JsonObject(node.toString()));
      }
    }
    return docs;
  }

  static List<JsonObject> objects(JsonArray array) {
    List<JsonObject> list = new ArrayList<>();
    if (array != null) array.forEach(o -> list.add((JsonObject) o));
    return list;
  }
}
