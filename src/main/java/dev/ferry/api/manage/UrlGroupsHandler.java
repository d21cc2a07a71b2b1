package dev.ferry.api.manage;

import dev.ferry.api.AddressCheck;
import dev.ferry.api.DestinationPath;
import dev.ferry.api.TokenAuth;
import dev.ferry.api.publish.PublishOptions;
import dev.ferry.config.FerryConfig;
import dev.ferry.error.ApiException;
import dev.ferry.model.Endpoint;
import dev.ferry.model.HeaderNames;
import dev.ferry.model.UrlGroup;
import dev.ferry.store.UrlGroupStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * URL groups ({@code /v2/topics}): add endpoints (creating the group), remove endpoints (deleting
 * the group with its last endpoint), list, get, delete. An endpoint is identified by its name when
 * it has one, else by its URL; adding an endpoint with the identity of an existing one replaces it.
 */
public final class UrlGroupsHandler {
  private final UrlGroupStore groups;
  private final FerryConfig.Limits limits;
  private final Clock clock;
  private final AddressCheck addresses;

  public UrlGroupsHandler(
      UrlGroupStore groups, FerryConfig.Limits limits, Clock clock, AddressCheck addresses) {
    this.addresses = addresses;
    this.groups = groups;
    this.limits = limits;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.post("/v2/topics/:name/endpoints").handler(this::addEndpoints);
    router.delete("/v2/topics/:name/endpoints").handler(this::removeEndpoints);
    router.get("/v2/topics").handler(this::list);
    router.get("/v2/topics/:name").handler(this::get);
    router.delete("/v2/topics/:name").handler(this::delete);
    router.patch("/v2/topics/:name").handler(this::setDefaultHeaders);
  }

  /**
   * {@code PATCH /v2/topics/{name}} {@code {"headers": {"Upstash-Retries": "3",
   * "Upstash-Header-Forward": ["true"]}}}: replaces the group's default configuration headers
   * (values a string or an array of strings; {@code {}} clears them). They are checked as a publish
   * would check them, so a bad default is a 400 now rather than on every publish.
   */
  private void setDefaultHeaders(RoutingContext ctx) {
    String tenant = TokenAuth.tenant(ctx);
    String name = validName(ctx.pathParam("name"));
    Object value = JsonBodies.object(ctx).getValue("headers");
    if (!(value instanceof JsonObject json))
      throw ApiException.badRequest("headers must be an object");
    Map<String, List<String>> headers = new LinkedHashMap<>();
    Map<String, List<String>> lower = new LinkedHashMap<>();
    for (Map.Entry<String, Object> h : json) {
      if (!HeaderNames.isValidName(h.getKey()))
        throw ApiException.badRequest("invalid header name: " + h.getKey());
      List<String> values = new ArrayList<>();
      if (h.getValue() instanceof String s) {
        values.add(s);
      } else if (h.getValue() instanceof JsonArray array
          && array.stream().allMatch(v -> v instanceof String)) {
        array.forEach(v -> values.add((String) v));
      } else {
        throw ApiException.badRequest(
            "headers." + h.getKey() + ": must be a string or an array of strings");
      }
      headers.put(HeaderNames.canonical(h.getKey()), values);
      lower.put(h.getKey().toLowerCase(Locale.ROOT), values);
    }
    PublishOptions.parse(lower, false, limits, clock.millis()); // throws a 400 naming a bad value
    addresses.callbackHeaders(lower);
    existing(tenant, name)
        .compose(
            g ->
                groups.put(
                    new UrlGroup(
                        tenant, name, g.createdAt(), clock.millis(), g.endpoints(), headers)))
        .onSuccess(v -> JsonBodies.ok(ctx))
        .onFailure(ctx::fail);
  }

  private void addEndpoints(RoutingContext ctx) {
    String tenant = TokenAuth.tenant(ctx);
    String name = validName(ctx.pathParam("name"));
    List<Endpoint> added = endpoints(JsonBodies.object(ctx), true);
    long now = clock.millis();
    groups
        .get(tenant, name)
        .compose(
            existing -> {
              if (existing.isEmpty()) {
                return groups
                    .list(tenant)
                    .compose(
                        all ->
                            all.size() >= limits.maxUrlGroups()
                                ? Future.failedFuture(
                                    ApiException.limitReached(
                                        "url_group_limit",
                                        "url group limit reached: at most "
                                            + limits.maxUrlGroups()))
                                : save(
                                    new UrlGroup(tenant, name, now, now, merge(List.of(), added))));
              }
              UrlGroup g = existing.get();
              return save(
                  new UrlGroup(
                      tenant, name, g.createdAt(), now, merge(g.endpoints(), added), g.headers()));
            })
        .onSuccess(v -> JsonBodies.ok(ctx))
        .onFailure(ctx::fail);
  }

  private Future<Void> save(UrlGroup group) {
    if (group.endpoints().size() > limits.maxEndpointsPerGroup()) {
      return Future.failedFuture(
          ApiException.limitReached(
              "endpoint_limit",
              "too many endpoints: at most " + limits.maxEndpointsPerGroup() + " per url group"));
    }
    return groups.put(group);
  }

  private void removeEndpoints(RoutingContext ctx) {
    String tenant = TokenAuth.tenant(ctx);
    String name = validName(ctx.pathParam("name"));
    List<Endpoint> removed = endpoints(JsonBodies.object(ctx), false);
    existing(tenant, name)
        .compose(
            g -> {
              List<Endpoint> kept = new ArrayList<>();
              for (Endpoint e : g.endpoints()) {
                if (removed.stream().noneMatch(r -> matches(r, e))) kept.add(e);
              }
              if (kept.isEmpty()) return groups.delete(tenant, name).mapEmpty();
              return groups.put(
                  new UrlGroup(tenant, name, g.createdAt(), clock.millis(), kept, g.headers()));
            })
        .onSuccess(v -> JsonBodies.ok(ctx))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    groups
        .list(TokenAuth.tenant(ctx))
        .map(
            all -> {
              JsonArray array = new JsonArray();
              all.forEach(g -> array.add(render(g)));
              return array;
            })
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    existing(TokenAuth.tenant(ctx), validName(ctx.pathParam("name")))
        .map(UrlGroupsHandler::render)
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  /**
   * A group that does not exist answers 200 too, as QStash does: deleting what is not there is not
   * an error.
   */
  private void delete(RoutingContext ctx) {
    String tenant = TokenAuth.tenant(ctx);
    String name = validName(ctx.pathParam("name"));
    groups.delete(tenant, name).onSuccess(v -> JsonBodies.ok(ctx)).onFailure(ctx::fail);
  }

  private Future<UrlGroup> existing(String tenant, String name) {
    return groups
        .get(tenant, name)
        .compose(
            g ->
                g.isPresent()
                    ? Future.succeededFuture(g.get())
                    : Future.failedFuture(
                        ApiException.notFound("url group " + name + " not found")));
  }

  /**
   * Endpoints of a request body; when adding, each needs a valid URL; when removing, a name or a
   * URL.
   */
  private List<Endpoint> endpoints(JsonObject body, boolean adding) {
    Object value = body.getValue("endpoints");
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      throw ApiException.badRequest("endpoints must be a non-empty array");
    }
    List<Endpoint> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject e))
        throw ApiException.badRequest("endpoints[" + i + "] must be an object");
      String name = JsonBodies.string(e, "name", false);
      String url = JsonBodies.string(e, "url", adding);
      if (name != null && name.isEmpty()) name = null;
      if (name != null && !DestinationPath.isValidName(name)) {
        throw ApiException.badRequest(
            "endpoints[" + i + "].name: only A-Z a-z 0-9 - _ . are allowed");
      }
      if (url != null) {
        try {
          url = DestinationPath.validateUrl(url);
        } catch (IllegalArgumentException ex) {
          throw ApiException.badRequest("endpoints[" + i + "].url: " + ex.getMessage());
        }
        if (adding) addresses.url(url, "endpoints[" + i + "].url");
      }
      if (name == null && url == null)
        throw ApiException.badRequest("endpoints[" + i + "]: name or url is required");
      out.add(new Endpoint(name, url));
    }
    return out;
  }

  private static List<Endpoint> merge(List<Endpoint> current, List<Endpoint> added) {
    List<Endpoint> out = new ArrayList<>(current);
    for (Endpoint a : added) {
      out.removeIf(
          e ->
              a.name() != null
                  ? a.name().equals(e.name())
                  : e.name() == null && a.url().equals(e.url()));
      out.add(a);
    }
    return out;
  }

  private static boolean matches(Endpoint selector, Endpoint e) {
    if (selector.name() != null && !selector.name().equals(e.name())) return false;
    return selector.url() == null || Objects.equals(selector.url(), e.url());
  }

  private static JsonObject render(UrlGroup g) {
    JsonArray endpoints = new JsonArray();
    for (Endpoint e : g.endpoints()) {
      JsonObject json = new JsonObject();
      if (e.name() != null) json.put("name", e.name());
      endpoints.add(json.put("url", e.url()));
    }
    JsonObject json =
        new JsonObject()
            .put("name", g.name())
            .put("createdAt", g.createdAt())
            .put("updatedAt", g.updatedAt())
            .put("endpoints", endpoints);
    if (!g.headers().isEmpty()) {
      JsonObject headers = new JsonObject();
      g.headers()
          .forEach((name, values) -> headers.put(name, new JsonArray(new ArrayList<>(values))));
      json.put("headers", headers);
    }
    return json;
  }

  private static String validName(String name) {
    if (name == null || !DestinationPath.isValidName(name)) {
      throw ApiException.badRequest("invalid url group name: only A-Z a-z 0-9 - _ . are allowed");
    }
    return name;
  }
}
