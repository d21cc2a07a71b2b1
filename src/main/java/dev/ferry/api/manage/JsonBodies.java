package dev.ferry.api.manage;

import dev.ferry.error.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a management request's JSON object body, turning every malformation into a 400 that says
 * what is wrong.
 */
final class JsonBodies {
  private JsonBodies() {}

  static JsonObject object(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0)
      throw ApiException.badRequest("request body must be a JSON object");
    Object parsed;
    try {
      parsed = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw ApiException.badRequest("malformed JSON: " + e.getMessage());
    }
    if (parsed instanceof JsonObject json) return json;
    throw ApiException.badRequest("request body must be a JSON object");
  }

  static String string(JsonObject json, String field, boolean required) {
    Object value = json.getValue(field);
    if (value == null) {
      if (required) throw ApiException.badRequest(field + " is required");
      return null;
    }
    if (!(value instanceof String s)) throw ApiException.badRequest(field + " must be a string");
    return s;
  }

  static void ok(RoutingContext ctx) {
    ctx.response().setStatusCode(200).end();
  }
}
