package dev.ferry.console;

import dev.ferry.error.ApiException;
import dev.ferry.model.CronSpec;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.OptionalLong;

/**
 * {@code GET /ferry/v1/cron?cron=...&count=n}: a cron expression in words and its next fire times,
 * for the console's schedule list and its create form (so the page says what a schedule does before
 * it is saved). Pure computation.
 */
final class CronHandler implements Handler<RoutingContext> {
  static final int MAX_COUNT = 10;
  private final Clock clock;

  CronHandler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String value = ctx.request().getParam("cron");
    if (value == null || value.isBlank())
      throw ApiException.badRequest("the query parameter 'cron' is required");
    int count = count(ctx.request().getParam("count"));
    CronSpec spec;
    try {
      spec = CronSpec.parse(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    JsonArray next = new JsonArray();
    long after = clock.millis();
    for (int i = 0; i < count; i++) {
      OptionalLong tick = spec.nextAfter(after);
      if (tick.isEmpty()) break;
      next.add(tick.getAsLong());
      after = tick.getAsLong();
    }
    ctx.json(
        new JsonObject()
            .put("cron", spec.expression())
            .put("description", spec.describe())
            .put("timeZone", spec.zone().equals(ZoneOffset.UTC) ? "UTC" : spec.zone().getId())
            .put("next", next));
  }

  private static int count(String param) {
    if (param == null) return 3;
    try {
      int n = Integer.parseInt(param.trim());
      if (n >= 1 && n <= MAX_COUNT) return n;
    } catch (NumberFormatException ignored) {
      // refused below, with the same message as a number out of range
    }
    throw ApiException.badRequest("count must be a whole number from 1 to " + MAX_COUNT);
  }
}
