package dev.ferry.api.manage;

import dev.ferry.api.DestinationPath;
import dev.ferry.api.TokenAuth;
import dev.ferry.config.FerryConfig;
import dev.ferry.error.ApiException;
import dev.ferry.model.Queue;
import dev.ferry.store.MessageStore;
import dev.ferry.store.QueueStore;
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
 * {@code /v2/queues}: upsert, list, get, delete, pause, resume. {@code lag} is exact (counted by
 * the store). Every change is passed to {@code queueChanged} so the queue's dispatcher picks it up
 * at once.
 */
public final class QueuesHandler {
  private final QueueStore queues;
  private final MessageStore messages;
  private final FerryConfig.Limits limits;
  private final Clock clock;
  private final BiConsumer<String, String> queueChanged;

  public QueuesHandler(
      QueueStore queues,
      MessageStore messages,
      FerryConfig.Limits limits,
      Clock clock,
      BiConsumer<String, String> queueChanged) {
    this.queues = queues;
    this.messages = messages;
    this.limits = limits;
    this.clock = clock;
    this.queueChanged = queueChanged;
  }

  public void mount(Router router) {
    router.post("/v2/queues").handler(this::upsert);
    router.get("/v2/queues").handler(this::list);
    router.get("/v2/queues/:name").handler(this::get);
    router.delete("/v2/queues/:name").handler(this::delete);
    router.post("/v2/queues/:name/pause").handler(ctx -> setPaused(ctx, true));
    router.post("/v2/queues/:name/resume").handler(ctx -> setPaused(ctx, false));
  }

  private void upsert(RoutingContext ctx) {
    String tenant = TokenAuth.tenant(ctx);
    JsonObject body = JsonBodies.object(ctx);
    String name = JsonBodies.string(body, "queueName", true);
    validName(name);
    Integer parallelism = integer(body, "parallelism");
    Boolean paused = bool(body, "paused");
    if (parallelism != null && parallelism < 1)
      throw ApiException.badRequest("parallelism must be at least 1");
    if (parallelism != null && parallelism > limits.maxQueueParallelism()) {
      throw ApiException.limitReached(
          "parallelism_limit",
          "parallelism " + parallelism + " exceeds the maximum of " + limits.maxQueueParallelism());
    }
    long now = clock.millis();
    queues
        .get(tenant, name)
        .compose(
            existing -> {
              if (existing.isPresent()) {
                Queue q = existing.get();
                return queues.put(
                    new Queue(
                        tenant,
                        name,
                        parallelism == null ? q.parallelism() : parallelism,
                        paused == null ? q.paused() : paused,
                        q.createdAt(),
                        now));
              }
              return queues
                  .list(tenant)
                  .compose(
                      all ->
                          all.size() >= limits.maxQueues()
                              ? Future.failedFuture(
                                  ApiException.limitReached(
                                      "queue_limit",
                                      "queue limit reached: at most "
                                          + limits.maxQueues()
                                          + " queues"))
                              : queues.put(
                                  new Queue(
                                      tenant,
                                      name,
                                      parallelism == null ? 1 : parallelism,
                                      paused != null && paused,
                                      now,
                                      now)));
            })
        .onSuccess(
            v -> {
              queueChanged.accept(tenant, name);
              JsonBodies.ok(ctx);
            })
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    queues
        .list(TokenAuth.tenant(ctx))
        .compose(
            all -> {
              List<Future<JsonObject>> rendered = new ArrayList<>();
              all.forEach(q -> rendered.add(render(q)));
              return Future.all(rendered)
                  .map(
                      f -> {
                        JsonArray array = new JsonArray();
                        rendered.forEach(r -> array.add(r.result()));
                        return array;
                      });
            })
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    String name = validName(ctx.pathParam("name"));
    existing(ctx, name).compose(this::render).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  /**
   * A queue that does not exist answers 200 too, as QStash does: deleting what is not there is not
   * an error.
   */
  private void delete(RoutingContext ctx) {
    String tenant = TokenAuth.tenant(ctx);
    String name = validName(ctx.pathParam("name"));
    queues
        .delete(tenant, name)
        .compose(
            deleted ->
                !deleted
                    ? Future.succeededFuture()
                    : messages
                        .purgeQueue(tenant, name)
                        .onSuccess(purged -> queueChanged.accept(tenant, name)))
        .onSuccess(v -> JsonBodies.ok(ctx))
        .onFailure(ctx::fail);
  }

  private void setPaused(RoutingContext ctx, boolean paused) {
    String tenant = TokenAuth.tenant(ctx);
    String name = validName(ctx.pathParam("name"));
    existing(ctx, name)
        .compose(
            q ->
                q.paused() == paused
                    ? Future.succeededFuture()
                    : queues.put(
                        new Queue(
                            tenant, name, q.parallelism(), paused, q.createdAt(), clock.millis())))
        .onSuccess(
            v -> {
              queueChanged.accept(tenant, name);
              JsonBodies.ok(ctx);
            })
        .onFailure(ctx::fail);
  }

  private Future<Queue> existing(RoutingContext ctx, String name) {
    return queues
        .get(TokenAuth.tenant(ctx), name)
        .compose(
            q ->
                q.isPresent()
                    ? Future.succeededFuture(q.get())
                    : Future.failedFuture(ApiException.notFound("queue " + name + " not found")));
  }

  private Future<JsonObject> render(Queue q) {
    return messages
        .queueLength(q.tenant(), q.name())
        .map(
            lag ->
                new JsonObject()
                    .put("name", q.name())
                    .put("createdAt", q.createdAt())
                    .put("updatedAt", q.updatedAt())
                    .put("parallelism", q.parallelism())
                    .put("lag", lag)
                    .put("paused", q.paused()));
  }

  private static String validName(String name) {
    if (name == null || !DestinationPath.isValidName(name)) {
      throw ApiException.badRequest("invalid queue name: only A-Z a-z 0-9 - _ . are allowed");
    }
    return name;
  }

  private static Integer integer(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) return null;
    if (value instanceof Number n
        && n.doubleValue() == Math.rint(n.doubleValue())
        && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
      return n.intValue();
    }
    throw ApiException.badRequest(field + " must be a whole number");
  }

  private static Boolean bool(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) return null;
    if (value instanceof Boolean b) return b;
    throw ApiException.badRequest(field + " must be true or false");
  }
}
