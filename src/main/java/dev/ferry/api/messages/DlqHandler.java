package dev.ferry.api.messages;

import dev.ferry.api.QueryParams;
import dev.ferry.api.TokenAuth;
import dev.ferry.config.FerryConfig;
import dev.ferry.error.ApiException;
import dev.ferry.ingest.Ingest;
import dev.ferry.ingest.PublishCommand;
import dev.ferry.model.DlqEntry;
import dev.ferry.store.DlqStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * {@code /v2/dlq}: list (filters, order, cursor, count ≤ 100, dlqIds), get, delete one or many,
 * retry one or many. Filters and ids come as query parameters or, for the bulk calls, as the legacy
 * JSON body; the fields each call takes are {@link LifecycleFields}. A bulk call acts on at most
 * {@code count} entries, in listing order, and answers with a cursor while more may remain. A retry
 * publishes a new message through ingest (new id; the original's settings overridden by the retry
 * request's {@code Upstash-*} headers) and then removes the entry: appended first, deleted second,
 * so a crash in between leaves the entry in the DLQ as well (retried twice at worst), never
 * neither.
 */
final class DlqHandler {
  private final DlqStore dlq;
  private final DlqSelection selection;
  private final DlqJson json;
  private final Ingest ingest;
  private final FerryConfig.Limits limits;
  private final Clock clock;
  private final DlqRemoval removal;

  DlqHandler(
      DlqStore dlq,
      DlqWorkflows workflows,
      Ingest ingest,
      FerryConfig.Limits limits,
      Clock clock,
      BiConsumer<String, Long> removed) {
    this.dlq = dlq;
    this.selection = new DlqSelection(dlq, workflows);
    this.json = new DlqJson(workflows);
    this.ingest = ingest;
    this.limits = limits;
    this.clock = clock;
    this.removal = new DlqRemoval(dlq, removed);
  }

  void mount(Router router) {
    router.get("/v2/dlq").handler(this::list);
    router.delete("/v2/dlq").handler(this::deleteMany);
    router.post("/v2/dlq/retry").handler(this::retryMany);
    router.post("/v2/dlq/retry/:dlqId").handler(this::retryOne);
    router.get("/v2/dlq/:dlqId").handler(this::get);
    router.delete("/v2/dlq/:dlqId").handler(this::deleteOne);
  }

  private void list(RoutingContext ctx) {
    String tenant = TokenAuth.tenant(ctx);
    DlqSelection.Selection s =
        DlqSelection.parse(
            RequestFields.ofQuery(QueryParams.of(ctx)), LifecycleFields.DLQ_LIST, false);
    selection
        .select(tenant, s)
        .compose(
            found ->
                json.entries(tenant, found.entries())
                    .map(
                        messages -> {
                          JsonObject body = new JsonObject().put("messages", messages);
                          if (found.cursor() != null) body.put("cursor", found.cursor());
                          return body;
                        }))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    String id = ctx.pathParam("dlqId");
    String tenant = TokenAuth.tenant(ctx);
    dlq.find(tenant, id)
        .compose(
            e ->
                e.isEmpty()
                    ? Future.<JsonArray>failedFuture(
                        ApiException.notFound("dlq message " + id + " not found"))
                    : json.entries(tenant, List.of(e.get())))
        .onSuccess(entries -> ctx.json(entries.getJsonObject(0)))
        .onFailure(ctx::fail);
  }

  private void deleteOne(RoutingContext ctx) {
    String id = ctx.pathParam("dlqId");
    String tenant = TokenAuth.tenant(ctx);
    dlq.delete(tenant, id)
        .onSuccess(
            deleted -> {
              if (!deleted) {
                ctx.fail(ApiException.notFound("dlq message " + id + " not found"));
                return;
              }
              removal.removed().accept(tenant, 1L);
              ctx.response().setStatusCode(200).end();
            })
        .onFailure(ctx::fail);
  }

  /**
   * Ids (query or legacy body) or a filtered page; no filter at all (or all=true) means every
   * entry, page by page.
   */
  private void deleteMany(RoutingContext ctx) {
    String tenant = TokenAuth.tenant(ctx);
    DlqSelection.Selection s =
        DlqSelection.parse(Params.bulkFields(ctx), LifecycleFields.DLQ_BULK, false);
    Future<DlqSelection.Found> found =
        s.dlqIds().isEmpty()
            ? selection.select(tenant, s)
            : Future.succeededFuture(new DlqSelection.Found(List.of(), null));
    found
        .compose(
            f -> {
              List<String> ids =
                  s.dlqIds().isEmpty()
                      ? f.entries().stream().map(DlqEntry::dlqId).toList()
                      : s.dlqIds();
              return removal
                  .remove(tenant, ids)
                  .map(
                      deleted -> {
                        JsonObject body = new JsonObject().put("deleted", deleted);
                        if (f.cursor() != null) body.put("cursor", f.cursor());
                        return body;
                      });
            })
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  private void retryOne(RoutingContext ctx) {
    String tenant = TokenAuth.tenant(ctx);
    String id = ctx.pathParam("dlqId");
    dlq.find(tenant, id)
        .compose(
            e -> {
              if (e.isEmpty())
                return Future.failedFuture(
                    ApiException.notFound("dlq message " + id + " not found"));
              return retry(ctx, tenant, List.of(e.get()));
            })
        .onSuccess(
            responses -> {
              JsonObject r = responses.getJsonObject(0);
              if (r.containsKey("error")) {
                ctx.fail(
                    ApiException.badRequest(
                        r.getString("error"))); // its publish was refused (e.g. an unknown group)
              } else {
                ctx.response().setStatusCode(201);
                ctx.json(new JsonObject().put("messageId", r.getString("messageId")));
              }
            })
        .onFailure(ctx::fail);
  }

  /**
   * {@code {"cursor": "...", "responses": [{"messageId"}...]}}; the cursor is {@code ""} when there
   * is nothing more, as QStash answers (the SDK turns it into undefined). Unknown ids in {@code
   * dlqIds} are a 404.
   */
  private void retryMany(RoutingContext ctx) {
    String tenant = TokenAuth.tenant(ctx);
    DlqSelection.Selection s =
        DlqSelection.parse(Params.bulkFields(ctx), LifecycleFields.DLQ_BULK, false);
    selection
        .selectEvery(tenant, s, "dlq messages")
        .compose(
            found ->
                retry(ctx, tenant, found.entries())
                    .map(
                        responses ->
                            new JsonObject()
                                .put("cursor", found.cursor() == null ? "" : found.cursor())
                                .put("responses", responses)))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  /**
   * Publishes every entry anew (one atomic append), then removes the entries that were republished.
   */
  private Future<JsonArray> retry(RoutingContext ctx, String tenant, List<DlqEntry> entries) {
    long now = clock.millis();
    List<PublishCommand> commands = new ArrayList<>();
    for (DlqEntry e : entries)
      commands.add(DlqRetry.command(e, ctx.request().headers(), limits, now));
    return ingest
        .publishAll(commands)
        .compose(
            outcomes -> {
              JsonArray responses = new JsonArray();
              List<String> retried = new ArrayList<>();
              for (int i = 0; i < outcomes.size(); i++) {
                Ingest.Outcome o = outcomes.get(i);
                if (o.error() != null) {
                  responses.add(new JsonObject().put("error", o.error().getMessage()));
                } else {
                  responses.add(
                      new JsonObject().put("messageId", o.published().items().get(0).messageId()));
                  retried.add(entries.get(i).dlqId());
                }
              }
              return removal.remove(tenant, retried).map(responses);
            });
  }
}
