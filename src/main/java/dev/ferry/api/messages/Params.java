package dev.ferry.api.messages;

import dev.ferry.api.ApiException;
import dev.ferry.api.QueryParams;
import dev.ferry.lifecycle.MessageFilter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/** Reads the paging and filter parameters shared by the messages, DLQ and logs endpoints; bad values become 400s. */
final class Params {
  private Params() {}

  /** {@code count}: absent → {@code dflt}; not a positive integer → 400; above {@code max} → {@code max}. */
  static int count(RoutingContext ctx, int dflt, int max) {
    String value = QueryParams.get(ctx, "count");
    if (value == null || value.isBlank()) return dflt;
    try {
      int n = Integer.parseInt(value.trim());
      if (n < 1) throw new NumberFormatException();
      return Math.min(n, max);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("count: must be a positive integer, got \"" + value + "\"");
    }
  }

  /** {@code order}: {@code latestFirst} or {@code earliestFirst}; true for latest first. */
  static boolean latestFirst(RoutingContext ctx, boolean dflt) {
    String value = QueryParams.get(ctx, "order");
    if (value == null || value.isBlank()) return dflt;
    if (value.equalsIgnoreCase("latestFirst")) return true;
    if (value.equalsIgnoreCase("earliestFirst")) return false;
    throw ApiException.badRequest("order: must be latestFirst or earliestFirst, got \"" + value + "\"");
  }

  static String cursor(RoutingContext ctx) {
    String value = QueryParams.get(ctx, "cursor");
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** The legacy JSON object body of a bulk DELETE or retry, or an empty object when there is none. */
  static JsonObject legacyBody(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0 || body.toString().isBlank()) return new JsonObject();
    try {
      Object parsed = Json.decodeValue(body);
      if (parsed instanceof JsonObject json) return json;
    } catch (DecodeException e) {
      throw ApiException.badRequest("malformed JSON body: " + e.getMessage());
    }
    throw ApiException.badRequest("request body must be a JSON object");
  }

  /** Query parameters and the legacy JSON body together: a value given either way counts. */
  static MessageFilter.Source source(RoutingContext ctx, JsonObject body) {
    MessageFilter.Source json = MessageFilter.ofJson(body.getMap());
    return name -> {
      List<String> values = new ArrayList<>(QueryParams.all(ctx, name));
      values.addAll(json.values(name));
      return values;
    };
  }

  static MessageFilter filter(MessageFilter.Source source) {
    try {
      return MessageFilter.parse(source);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }
}
