package dev.ferry.model;

import java.util.List;

/** A named set of endpoints (QStash "topic"); a publish to the name fans out to one message per endpoint. */
public record UrlGroup(String tenant, String name, long createdAt, long updatedAt, List<Endpoint> endpoints) {
  public UrlGroup {
    endpoints = List.copyOf(endpoints);
  }
}
