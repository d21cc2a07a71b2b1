package dev.ferry.store.codec;

import dev.ferry.model.Schedule;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;

/**
 * JSON form of a stored {@link Schedule}, like {@link MetadataCodec}'s records: written rarely, so
 * readable and evolvable (unknown keys ignored, missing keys read as defaults) beats compact. The
 * body is base64. Pure, any thread.
 */
public final class ScheduleCodec {
  private ScheduleCodec() {}

  public static byte[] encode(Schedule s) {
    return new JsonObject()
        .put("tenant", s.tenant())
        .put("scheduleId", s.scheduleId())
        .put("cron", s.cron())
        .put("destination", s.destination())
        .put("queueName", s.queueName())
        .put("method", s.method())
        .put("headers", HeaderJson.encode(s.headers()))
        .put("body", Base64.getEncoder().encodeToString(s.body()))
        .put("maxRetries", s.maxRetries())
        .put("retryDelayExpression", s.retryDelayExpression())
        .put("timeoutMillis", s.timeoutMillis())
        .put("delayMillis", s.delayMillis())
        .put("labels", new JsonArray(new ArrayList<>(s.labels())))
        .put("callerIp", s.callerIp())
        .put("pendingConfig", HeaderJson.encode(s.pendingConfig()))
        .put("createdAt", s.createdAt())
        .put("paused", s.paused())
        .put("revision", s.revision())
        .put("lastScheduleTime", s.lastScheduleTime())
        .put("lastMessageIds", new JsonArray(new ArrayList<>(s.lastMessageIds())))
        .toBuffer()
        .getBytes();
  }

  public static Schedule decode(byte[] bytes) {
    JsonObject j = Buffer.buffer(bytes).toJsonObject();
    return new Schedule(
        j.getString("tenant"),
        j.getString("scheduleId"),
        j.getString("cron"),
        j.getString("destination"),
        j.getString("queueName"),
        j.getString("method", "POST"),
        HeaderJson.decode(j.getJsonObject("headers")),
        Base64.getDecoder().decode(j.getString("body", "")),
        j.getInteger("maxRetries", 3),
        j.getString("retryDelayExpression"),
        j.getLong("timeoutMillis", 0L),
        j.getLong("delayMillis", 0L),
        HeaderJson.strings(j.getJsonArray("labels")),
        j.getString("callerIp"),
        HeaderJson.decode(j.getJsonObject("pendingConfig")),
        j.getLong("createdAt", 0L),
        j.getBoolean("paused", false),
        j.getLong("revision", 0L),
        j.getLong("lastScheduleTime", 0L),
        HeaderJson.strings(j.getJsonArray("lastMessageIds")));
  }
}
