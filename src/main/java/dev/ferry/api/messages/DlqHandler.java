package dev.ferry.api.messages;

import dev.ferry.api.QueryParams;
import dev.ferry.api.TokenAuth;
import dev.ferry.config.FerryConfig;
import dev.ferry.error.ApiException;
import dev.ferry.ingest.Ingest;
import dev.ferry.ingest.PublishCommand;
import dev.ferry.lifecycle.MessageFilter;
import dev.ferry.model.DlqEntry;
import dev.ferry.model.HeaderNames;
import dev.ferry.store.DlqStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
  static final int MAX_COUNT = 100;

  /**
   * Entries examined per request at most when filtering; the page then ends early with a cursor.
   */
  static final int SCAN_LIMIT = 10_000;

  /** The header every message of a workflow run is stored with. */
  private static final String WORKFLOW_RUN_ID = HeaderNames.canonical("Upstash-Workflow-RunId");

  private final DlqStore dlq;
  private final Ingest ingest;
  private final FerryConfig.Limits limits;
  private final Clock clock;
  private final BiConsumer<String, Long> removed;

  DlqHandler(
      DlqStore dlq,
      Ingest ingest,
      FerryConfig.Limits limits,
      Clock clock,
      BiConsumer<String, Long> removed) {
    this.dlq = dlq;
    this.ingest = ingest;
    this.limits = limits;
    this.clock = clock;
    this.removed = removed;
  }

  void mount(Router router) {
    router.get("/v2/dlq").handler(this::list);
    router.delete("/v2/dlq").handler(this::deleteMany);
    router.post("/v2/dlq/retry").handler(this::retryMany);
    router.post("/v2/dlq/retry/:dlqId").handler(this::retryOne);
    router.get("/v2/dlq/:dlqId").handler(this::get);
    router.delete("/v2/dlq/:dlqId").handler(this::deleteOne);
  }

  /**
   * What a list, bulk delete or bulk retry works on: explicit ids, or a filtered page after a
   * cursor.
   */
  private record Selection(
      List<String> dlqIds,
      MessageFilter filter,
      boolean latestFirst,
      String cursor,
      int count,
      boolean workflowOnly) {}

  /**
   * Checks every field first (400, nothing done, on an unknown or empty one), then reads the
   * selection.
   */
  private Selection selection(RequestFields fields, LifecycleFields endpoint) {
    endpoint.check(fields);
    List<String> ids = new ArrayList<>();
    for (String value : Params.values(fields, "dlqIds")) {
      for (String part : value.split(",")) {
        if (!part.isBlank() && !ids.contains(part.trim())) ids.add(part.trim());
      }
    }
    MessageFilter filter = Params.filter(fields);
    return new Selection(
        ids,
        filter,
        Params.latestFirst(fields, false),
        Params.cursor(fields),
        Params.count(fields, MAX_COUNT, MAX_COUNT),
        workflowOnly(Params.values(fields, "source")));
  }

  /**
   * {@code source=workflow}, which the workflow SDK's {@code dlq.list} always sends: only the
   * entries of workflow runs (messages that carried a run id).
   */
  private static boolean workflowOnly(List<String> source) {
    for (String value : source) {
      if (!value.equals("workflow")) {
        throw ApiException.badRequest(
            "source: only \"workflow\" is supported, got \"" + value + "\"");
      }
    }
    return !source.isEmpty();
  }

  private record Found(List<DlqEntry> entries, String cursor) {}

  private Future<Found> select(String tenant, Selection s) {
    if (!s.dlqIds().isEmpty()) {
      List<Future<Optional<DlqEntry>>> finds = new ArrayList<>();
      s.dlqIds().forEach(id -> finds.add(dlq.find(tenant, id)));
      return Future.all(finds)
          .map(
              all -> {
                List<DlqEntry> found = new ArrayList<>();
                finds.forEach(f -> f.result().ifPresent(found::add));
                return new Found(found, null);
              });
    }
    return scan(tenant, s, s.cursor(), new ArrayList<>(), 0);
  }

  private Future<Found> scan(
      String tenant, Selection s, String after, List<DlqEntry> found, int scanned) {
    int page = Math.min(MAX_COUNT, SCAN_LIMIT - scanned);
    Future<List<DlqEntry>> read =
        s.latestFirst() ? dlq.listNewestFirst(tenant, after, page) : dlq.list(tenant, after, page);
    return read.compose(
        entries -> {
          String last = after;
          for (DlqEntry e : entries) {
            if (found.size() == s.count()) return Future.succeededFuture(new Found(found, last));
            last = e.dlqId();
            if (matches(s.filter(), e) && (!s.workflowOnly() || isWorkflow(e))) found.add(e);
          }
          if (entries.size() < page) return Future.succeededFuture(new Found(found, null));
          if (scanned + entries.size() >= SCAN_LIMIT)
            return Future.succeededFuture(new Found(found, last));
          if (found.size() == s.count()) {
            // full: is there anything after the last entry? Only then is there a next page.
            String at = last;
            return (s.latestFirst() ? dlq.listNewestFirst(tenant, at, 1) : dlq.list(tenant, at, 1))
                .map(more -> new Found(found, more.isEmpty() ? null : at));
          }
          return scan(tenant, s, last, found, scanned + entries.size());
        });
  }

  private static boolean isWorkflow(DlqEntry e) {
    return e.message().headers().containsKey(WORKFLOW_RUN_ID);
  }

  private static boolean matches(MessageFilter f, DlqEntry e) {
    if (!f.messageIds().isEmpty() && !f.messageIds().contains(e.message().id())) return false;
    if (!f.responseStatuses().isEmpty() && !f.responseStatuses().contains(e.last().status()))
      return false;
    return f.inTime(e.last().time()) && f.matches(e.message());
  }

  private void list(RoutingContext ctx) {
    Selection s = selection(RequestFields.ofQuery(QueryParams.of(ctx)), LifecycleFields.DLQ_LIST);
    select(TokenAuth.tenant(ctx), s)
        .onSuccess(
            found -> {
              JsonArray messages = new JsonArray();
              found.entries().forEach(e -> messages.add(MessageJson.dlq(e)));
              JsonObject body = new JsonObject().put("messages", messages);
              if (found.cursor() != null) body.put("cursor", found.cursor());
              ctx.json(body);
            })
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    String id = ctx.pathParam("dlqId");
    dlq.find(TokenAuth.tenant(ctx), id)
        .onSuccess(
            e -> {
              if (e.isEmpty()) ctx.fail(ApiException.notFound("dlq message " + id + " not found"));
              else ctx.json(MessageJson.dlq(e.get()));
            })
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
              removed.accept(tenant, 1L);
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
    Selection s = selection(Params.bulkFields(ctx), LifecycleFields.DLQ_BULK);
    Future<Found> found =
        s.dlqIds().isEmpty()
            ? select(tenant, s)
            : Future.succeededFuture(new Found(List.of(), null));
    found
        .compose(
            f -> {
              List<String> ids =
                  s.dlqIds().isEmpty()
                      ? f.entries().stream().map(DlqEntry::dlqId).toList()
                      : s.dlqIds();
              return dlq.deleteAll(tenant, ids)
                  .map(
                      deleted -> {
                        if (!deleted.isEmpty()) removed.accept(tenant, (long) deleted.size());
                        JsonObject body = new JsonObject().put("deleted", deleted.size());
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
    Selection s = selection(Params.bulkFields(ctx), LifecycleFields.DLQ_BULK);
    select(tenant, s)
        .compose(
            found -> {
              if (!s.dlqIds().isEmpty() && found.entries().size() < s.dlqIds().size()) {
                List<String> missing = new ArrayList<>(s.dlqIds());
                found.entries().forEach(e -> missing.remove(e.dlqId()));
                return Future.failedFuture(
                    ApiException.notFound("dlq messages not found: " + String.join(", ", missing)));
              }
              return retry(ctx, tenant, found.entries())
                  .map(
                      responses ->
                          new JsonObject()
                              .put("cursor", found.cursor() == null ? "" : found.cursor())
                              .put("responses", responses));
            })
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
              return dlq.deleteAll(tenant, retried)
                  .map(
                      deleted -> {
                        if (!deleted.isEmpty()) removed.accept(tenant, (long) deleted.size());
                        return responses;
                      });
            });
  }
}
