package dev.ferry.api.messages;

import dev.ferry.api.QueryParams;
import dev.ferry.error.ApiException;
import dev.ferry.lifecycle.MessageFilter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the paging, filter and {@code all} fields shared by the messages, DLQ and logs endpoints
 * from a request's {@link RequestFields} (query parameters, or the legacy JSON body too); bad
 * values become 400s naming the field.
 */
final class Params {
  private Params() {}

  /**
   * {@code count}: absent → {@code dflt}; not a positive integer → 400; above {@code max} → {@code
   * max}.
   */
  static int count(RequestFields fields, int dflt, int max) {
    String value = first(fields, "count");
    if (value == null) return dflt;
    try {
      int n = Integer.parseInt(value);
      if (n < 1) throw new NumberFormatException();
      return Math.min(n, max);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("count: must be a positive integer, got \"" + value + "\"");
    }
  }

  /** {@code order}: {@code latestFirst} or {@code earliestFirst}; true for latest first. */
  static boolean latestFirst(RequestFields fields, boolean dflt) {
    String value = first(fields, "order");
    if (value == null) return dflt;
    if (value.equalsIgnoreCase("latestFirst")) return true;
    if (value.equalsIgnoreCase("earliestFirst")) return false;
    throw ApiException.badRequest(
        "order: must be latestFirst or earliestFirst, got \"" + value + "\"");
  }

  static String cursor(RequestFields fields) {
    return first(fields, "cursor");
  }

  /**
   * {@code all}: true when the request asks for every entry explicitly ({@code all=true}, or {@code
   * "all": true} in the body); absent → false; any other value → 400.
   */
  static boolean all(RequestFields fields) {
    List<Object> given = new ArrayList<>(fields.queryValues("all"));
    if (fields.inBody("all")) given.add(fields.bodyValue("all"));
    for (Object v : given) {
      if (!Boolean.TRUE.equals(v)
          && !(v instanceof String s && s.trim().equalsIgnoreCase("true"))) {
        throw ApiException.badRequest(
            "all: must be true (to act on every entry) or left out, got \"" + v + "\"");
      }
    }
    return !given.isEmpty();
  }

  /**
   * The legacy JSON object body of a bulk DELETE or retry, or an empty object when there is none.
   */
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

  /** The query parameters and the legacy JSON body of a bulk call, read together. */
  static RequestFields bulkFields(RoutingContext ctx) {
    return new RequestFields(QueryParams.of(ctx), legacyBody(ctx));
  }

  static MessageFilter filter(MessageFilter.Source source) {
    try {
      return MessageFilter.parse(source);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  /**
   * Every value of {@code name}; a JSON body value that is not a string, number or array of them is
   * a 400.
   */
  static List<String> values(RequestFields fields, String name) {
    try {
      return fields.values(name);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private static String first(RequestFields fields, String name) {
    for (String v : values(fields, name)) {
      if (!v.isBlank()) return v.trim();
    }
    return null;
  }
}
