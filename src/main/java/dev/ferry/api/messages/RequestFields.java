package dev.ferry.api.messages;

import dev.ferry.lifecycle.MessageFilter;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The named fields a lifecycle request gives: its query parameters and, for the bulk calls, the
 * keys of the legacy JSON body; a value given either way counts. Knows which names were given (to
 * refuse the unknown ones) as well as their values. Pure; built and read on the request's event
 * loop.
 */
final class RequestFields implements MessageFilter.Source {
  private final MultiMap query;
  private final JsonObject body;
  private final MessageFilter.Source json;

  RequestFields(MultiMap query, JsonObject body) {
    this.query = query;
    this.body = body;
    this.json = MessageFilter.ofJson(body.getMap());
  }

  static RequestFields ofQuery(MultiMap query) {
    return new RequestFields(query, new JsonObject());
  }

  /** Every given name, query parameters first, in the order given. */
  Set<String> names() {
    Set<String> names = new LinkedHashSet<>(query.names());
    names.addAll(body.fieldNames());
    return names;
  }

  boolean inBody(String name) {
    return body.containsKey(name);
  }

  /**
   * The body's raw value of {@code name} (for {@code all}, which may be a JSON boolean), or null.
   */
  Object bodyValue(String name) {
    return body.getValue(name);
  }

  List<String> queryValues(String name) {
    return query.getAll(name);
  }

  @Override
  public List<String> values(String name) {
    List<String> values = new ArrayList<>(query.getAll(name));
    values.addAll(json.values(name));
    return values;
  }
}
