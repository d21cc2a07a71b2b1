package dev.ferry.console;

import dev.ferry.api.ApiException;
import dev.ferry.api.TokenAuth;
import dev.ferry.lifecycle.MessageFilter;
import dev.ferry.model.Message;
import dev.ferry.store.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /ferry/v1/pending?<filters>}: how many of the tenant's pending messages a bulk cancel
 * ({@code DELETE /v2/messages} with the same filters) would cancel now, so the console can show the count before the
 * person confirms. Reads what the cancel itself reads (the pending messages, page by page), once, on request.
 */
final class PendingCountHandler implements Handler<RoutingContext> {
  static final int PAGE = 500;
  private final MessageStore messages;

  PendingCountHandler(MessageStore messages) {
    this.messages = messages;
  }

  @Override
  public void handle(RoutingContext ctx) {
    MessageFilter filter;
    try {
      filter = MessageFilter.parse(MessageFilter.ofQuery(ctx::queryParam));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    if (!filter.states().isEmpty() || !filter.responseStatuses().isEmpty()) {
      throw ApiException.badRequest("state and responseStatus are not filters of pending messages");
    }
    count(TokenAuth.tenant(ctx), filter, null, 0)
        .onSuccess(n -> ctx.json(new JsonObject().put("pending", n)))
        .onFailure(ctx::fail);
  }

  private Future<Long> count(String tenant, MessageFilter filter, String after, long sofar) {
    return messages.scanPending(after, PAGE).compose(page -> {
      long n = sofar;
      for (Message m : page) {
        if (m.tenant().equals(tenant) && filter.matches(m) && filter.inTime(m.createdAt())) n++;
      }
      long total = n;
      return page.size() < PAGE ? Future.succeededFuture(total)
          : count(tenant, filter, page.get(page.size() - 1).id(), total);
    });
  }
}
