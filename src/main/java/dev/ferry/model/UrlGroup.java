package dev.ferry.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A named set of endpoints (QStash "topic"); a publish to the name fans out to one message per
 * endpoint. {@code headers} are default configuration headers ({@code PATCH /v2/topics/{name}}) for
 * every publish to the group, canonical names; empty when none.
 */
public record UrlGroup(
    String tenant,
    String name,
    long createdAt,
    long updatedAt,
    List<Endpoint> endpoints,
    Map<String, List<String>> headers) {
  public UrlGroup {
    endpoints = List.copyOf(endpoints);
    headers =
        headers == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** A group without default headers. */
  public UrlGroup(
      String tenant, String name, long createdAt, long updatedAt, List<Endpoint> endpoints) {
    this(tenant, name, createdAt, updatedAt, endpoints, Map.of());
  }
}
