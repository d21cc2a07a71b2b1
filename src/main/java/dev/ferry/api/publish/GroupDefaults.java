package dev.ferry.api.publish;

import dev.ferry.model.UrlGroup;
import dev.ferry.store.UrlGroupStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A URL group's default configuration headers ({@code PATCH /v2/topics/{name}}), applied to every
 * publish to the group: a default fills in a header the request does not send; the request's own
 * header always wins. Thread-safe.
 */
final class GroupDefaults {
  private final UrlGroupStore groups;

  GroupDefaults(UrlGroupStore groups) {
    this.groups = groups;
  }

  /**
   * The request's lower-case headers with the group's defaults added (unchanged when not publishing
   * to a group).
   */
  Future<Map<String, List<String>>> apply(
      String tenant, String group, Map<String, List<String>> headers) {
    if (group == null) return Future.succeededFuture(headers);
    return groups.get(tenant, group).map(g -> g.isEmpty() ? headers : merge(g.get(), headers));
  }

  /**
   * The defaults of every group named in {@code names}, by name (groups without defaults are left
   * out).
   */
  Future<Map<String, UrlGroup>> load(String tenant, Iterable<String> names) {
    Map<String, Future<UrlGroup>> found = new HashMap<>();
    for (String name : names) {
      found.computeIfAbsent(name, n -> groups.get(tenant, n).map(g -> g.orElse(null)));
    }
    return Future.all(new ArrayList<>(found.values()))
        .map(
            all -> {
              Map<String, UrlGroup> out = new HashMap<>();
              found.forEach(
                  (name, f) -> {
                    if (f.result() != null && !f.result().headers().isEmpty())
                      out.put(name, f.result());
                  });
              return out;
            });
  }

  static Map<String, List<String>> merge(UrlGroup group, Map<String, List<String>> headers) {
    if (group == null || group.headers().isEmpty()) return headers;
    Map<String, List<String>> merged = new LinkedHashMap<>(headers);
    group
        .headers()
        .forEach((name, values) -> merged.putIfAbsent(name.toLowerCase(Locale.ROOT), values));
    return merged;
  }
}
