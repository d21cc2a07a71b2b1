package dev.ferry.api.messages;

import dev.ferry.api.TokenAuth;
import dev.ferry.error.ApiException;
import dev.ferry.lifecycle.MessageFilter;
import dev.ferry.model.LogRecord;
import dev.ferry.model.Message;
import dev.ferry.model.MessageState;
import dev.ferry.store.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * {@code /v2/messages}: get a pending message, cancel one, cancel many (by ids, by filters given as
 * query parameters or as the legacy JSON body, or all). A cancel removes the pending messages in
 * one synced store write, then marks them cancelled for delivery (which drops any copy it holds
 * before attempting it) and logs CANCEL_REQUESTED and CANCELED, all before answering: once the
 * answer is sent, no attempt of those messages starts. An attempt already in flight may still
 * complete, but nothing brings the message back.
 */
final class MessagesHandler {
  /** Messages read per store scan and cancelled per write during a bulk cancel. */
  static final int PAGE = 500;

  private final MessageStore messages;
  private final Lifecycle lifecycle;
  private final BiConsumer<String, String> queueChanged;

  MessagesHandler(
      MessageStore messages, Lifecycle lifecycle, BiConsumer<String, String> queueChanged) {
    this.messages = messages;
    this.lifecycle = lifecycle;
    this.queueChanged = queueChanged;
  }

  void mount(Router router) {
    router.get("/v2/messages/:id").handler(this::get);
    router.delete("/v2/messages/:id").handler(this::cancelOne);
    router.delete("/v2/messages").handler(this::cancelMany);
  }

  private void get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    messages
        .find(TokenAuth.tenant(ctx), id)
        .onSuccess(
            m -> {
              if (m.isEmpty()) {
                ctx.fail(ApiException.notFound("message " + id + " not found"));
              } else {
                ctx.json(MessageJson.message(m.get()));
              }
            })
        .onFailure(ctx::fail);
  }

  private void cancelOne(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    cancel(TokenAuth.tenant(ctx), List.of(id))
        .onSuccess(
            n -> {
              if (n == 0) {
                ctx.fail(
                    ApiException.notFound(
                        "message "
                            + id
                            + " not found (it may already be delivered, failed or canceled)"));
              } else {
                ctx.json(new JsonObject().put("cancelled", n));
              }
            })
        .onFailure(ctx::fail);
  }

  /**
   * Ids win over filters; no filter at all (or {@code all=true}) cancels every pending message of
   * the tenant: QStash's documented behaviour, relied on by Python's {@code cancel_all}, and what
   * the JS SDK's {@code cancel({all: true})} sends ({@code ?count=100}, no {@code all}). Fields are
   * checked before anything is cancelled: an unknown or empty one is a 400, never "no filter".
   * {@code count} is validated and not applied: that SDK sends {@code count=100} on every filter or
   * {@code all} cancel, documents that the server processes every match in one call, and does not
   * loop, so honouring it would leave messages pending; clients that page stop when the answer is
   * {@code 0}.
   */
  private void cancelMany(RoutingContext ctx) {
    String tenant = TokenAuth.tenant(ctx);
    RequestFields fields = Params.bulkFields(ctx);
    LifecycleFields.MESSAGES_CANCEL.check(fields);
    Params.count(fields, 1, Integer.MAX_VALUE);
    MessageFilter filter = Params.filter(fields);
    Future<Integer> done =
        !filter.messageIds().isEmpty()
            ? cancelIds(tenant, new ArrayList<>(filter.messageIds()))
            : cancelMatching(tenant, filter, null, 0);
    done.onSuccess(n -> ctx.json(new JsonObject().put("cancelled", n))).onFailure(ctx::fail);
  }

  private Future<Integer> cancelIds(String tenant, List<String> ids) {
    Future<Integer> total = Future.succeededFuture(0);
    for (int i = 0; i < ids.size(); i += PAGE) {
      List<String> chunk = ids.subList(i, Math.min(ids.size(), i + PAGE));
      total = total.compose(sum -> cancel(tenant, chunk).map(n -> sum + n));
    }
    return total;
  }

  /**
   * Scans the pending messages page by page and cancels the tenant's matching ones, one write per
   * page.
   */
  private Future<Integer> cancelMatching(
      String tenant, MessageFilter filter, String after, int sofar) {
    return messages
        .scanPending(after, PAGE)
        .compose(
            page -> {
              List<String> ids = new ArrayList<>();
              for (Message m : page) {
                if (m.tenant().equals(tenant) && filter.matches(m) && filter.inTime(m.createdAt()))
                  ids.add(m.id());
              }
              return cancel(tenant, ids)
                  .compose(
                      n ->
                          page.size() < PAGE
                              ? Future.succeededFuture(sofar + n)
                              : cancelMatching(
                                  tenant, filter, page.get(page.size() - 1).id(), sofar + n));
            });
  }

  /** The store removes them; then delivery is told and the log records both transitions. */
  private Future<Integer> cancel(String tenant, List<String> ids) {
    if (ids.isEmpty()) return Future.succeededFuture(0);
    return messages
        .cancel(tenant, ids)
        .map(
            removed -> {
              List<LogRecord> records = new ArrayList<>(removed.size() * 2);
              Set<String> queues = new LinkedHashSet<>();
              for (Message m : removed) {
                lifecycle.cancellations().add(m);
                records.add(LogRecord.of(m, MessageState.CANCEL_REQUESTED));
                records.add(LogRecord.of(m, MessageState.CANCELED));
                if (m.queued()) queues.add(m.queueName());
              }
              lifecycle.logs().recordAll(records);
              queues.forEach(
                  q ->
                      queueChanged.accept(
                          tenant, q)); // its dispatcher re-reads its window from the store
              return removed.size();
            });
  }
}
