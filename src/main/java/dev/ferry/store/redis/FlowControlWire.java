package dev.ferry.store.redis;

import dev.ferry.model.FlowControlCommand;
import dev.ferry.model.FlowControlState;
import dev.ferry.store.StoreUnavailableException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of {@link RedisFlowControlPeers}' messages. A request: {@code {"id", "from" (the asking
 * replica), "tenant", "kind", "key", "parallelism", "rate", "period"}}; an answer: {@code {"id",
 * "answer": true, "keys": [state...]}} or {@code {"id", "answer": true, "error": "..."}}. Both
 * sides run the same release, so unknown fields are not expected. Pure.
 */
final class FlowControlWire {
  private FlowControlWire() {}

  static JsonObject request(String id, String from, String tenant, FlowControlCommand c) {
    return new JsonObject()
        .put("id", id)
        .put("from", from)
        .put("tenant", tenant)
        .put("kind", c.kind().name())
        .put("key", c.key())
        .put("parallelism", c.parallelism())
        .put("rate", c.rate())
        .put("period", c.periodSeconds());
  }

  static boolean isAnswer(JsonObject payload) {
    return payload.getBoolean("answer", false);
  }

  static String id(JsonObject payload) {
    return payload.getString("id");
  }

  static String from(JsonObject request) {
    return request.getString("from");
  }

  static String tenant(JsonObject request) {
    return request.getString("tenant");
  }

  static FlowControlCommand command(JsonObject r) {
    return new FlowControlCommand(
        FlowControlCommand.Kind.valueOf(r.getString("kind")),
        r.getString("key"),
        r.getInteger("parallelism"),
        r.getInteger("rate"),
        r.getLong("period"));
  }

  static JsonObject answer(String id, AsyncResult<List<FlowControlState>> outcome) {
    JsonObject out = new JsonObject().put("id", id).put("answer", true);
    if (outcome.failed()) {
      String message = outcome.cause().getMessage();
      return out.put("error", message == null ? outcome.cause().toString() : message);
    }
    JsonArray keys = new JsonArray();
    outcome.result().forEach(s -> keys.add(state(s)));
    return out.put("keys", keys);
  }

  /**
   * The answer as the asker's outcome: the owner's refusal (it no longer owns the key, its store
   * failed) is a 503 to try again, as a missing answer is.
   */
  static Future<List<FlowControlState>> outcome(JsonObject answer) {
    String error = answer.getString("error");
    if (error != null) {
      return Future.failedFuture(
          new StoreUnavailableException(
              StoreUnavailableException.Reason.OWNER_UNREACHABLE,
              "the replica that delivers the flow control key refused: " + error));
    }
    List<FlowControlState> keys = new ArrayList<>();
    for (Object o : answer.getJsonArray("keys", new JsonArray())) keys.add(state((JsonObject) o));
    return Future.succeededFuture(keys);
  }

  private static JsonObject state(FlowControlState s) {
    return new JsonObject()
        .put("key", s.key())
        .put("waitListSize", s.waitListSize())
        .put("parallelismMax", s.parallelismMax())
        .put("parallelismCount", s.parallelismCount())
        .put("rateMax", s.rateMax())
        .put("rateCount", s.rateCount())
        .put("ratePeriod", s.ratePeriodSeconds())
        .put("ratePeriodStart", s.ratePeriodStart())
        .put("paused", s.paused())
        .put("pinnedParallelism", s.pinnedParallelism())
        .put("pinnedRate", s.pinnedRate());
  }

  private static FlowControlState state(JsonObject j) {
    return new FlowControlState(
        j.getString("key"),
        j.getInteger("waitListSize"),
        j.getInteger("parallelismMax"),
        j.getInteger("parallelismCount"),
        j.getInteger("rateMax"),
        j.getInteger("rateCount"),
        j.getLong("ratePeriod"),
        j.getLong("ratePeriodStart"),
        j.getBoolean("paused"),
        j.getBoolean("pinnedParallelism"),
        j.getBoolean("pinnedRate"));
  }
}
