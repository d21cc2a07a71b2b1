package dev.ferry.api.messages;

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
 * ({@code DELETE /v2/messages} with the same fields) would cancel now, so the console can show the
 * count before the person confirms. It checks and reads the fields exactly as the cancel does, then
 * reads what the cancel reads (the pending messages, page by page), once, on request. Mounted by
 * the console's routes.
 */
public final class PendingCountHandler implements Handler<RoutingContext> {
  private final MessageStore messages;

  public PendingCountHandler(MessageStore messages) {
    this.messages = messages;
  }

  @Override
  public void handle(RoutingContext ctx) {
    RequestFields fields = Params.bulkFields(ctx);
    LifecycleFields.MESSAGES_CANCEL.check(fields);
    MessageFilter filter = Params.filter(fields);
    count(TokenAuth.tenant(ctx), filter, null, 0)
        .onSuccess(n -> ctx.json(new JsonObject().put("pending", n)))
        .onFailure(ctx::fail);
  }

  private Future<Long> count(String tenant, MessageFilter filter, String after, long sofar) {
    return messages
        .scanPending(after, MessagesHandler.PAGE)
        .compose(
            page -> {
              long n = sofar;
              for (Message m : page) {
                if (m.tenant().equals(tenant) && filter.matches(m) && filter.inTime(m.createdAt()))
                  n++;
              }
              long total = n;
              return page.size() < MessagesHandler.PAGE
                  ? Future.succeededFuture(total)
                  : count(tenant, filter, page.get(page.size() - 1).id(), total);
            });
  }
}
