package dev.ferry.api;

import dev.ferry.error.ApiException;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;

/**
 * The query parameters the management endpoints read (names case-insensitive, {@code %XX} and
 * {@code +} decoded, as vertx-web decodes them once per request). A malformed percent-escape
 * anywhere in the query is a 400 naming it: left to vertx-web it is a bare {@code Bad Request}, and
 * the request's own {@code params()} echoes the whole URI. Publish, enqueue and schedule creation
 * read their query through {@link DestinationPath} instead, since part of it may belong to the
 * destination URL.
 */
public final class QueryParams {
  private QueryParams() {}

  /** The first value of {@code name}, or null. */
  public static String get(RoutingContext ctx, String name) {
    List<String> values = all(ctx, name);
    return values.isEmpty() ? null : values.get(0);
  }

  public static List<String> all(RoutingContext ctx, String name) {
    return of(ctx).getAll(name);
  }

  /** Every query parameter. */
  public static MultiMap of(RoutingContext ctx) {
    try {
      return ctx.queryParams();
    } catch (HttpException | IllegalArgumentException malformed) {
      String problem = PercentEscapes.problem(ctx.request().query(), "query");
      throw ApiException.badRequest(problem != null ? problem : "malformed query string");
    }
  }
}
