package dev.ferry.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.ingest.Ids;
import dev.ferry.model.AttemptResult;
import dev.ferry.model.CallbackConfig;
import dev.ferry.model.DlqEntry;
import dev.ferry.model.FlowControl;
import dev.ferry.model.Message;
import dev.ferry.testing.MessageBuilder;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Messages, attempts and assertions shared by the store contracts and codec tests. JUnit thread
 * only.
 */
public final class StoreFixtures {
  /** Unix ms of 2030-01-01T00:00:00Z: far from 0, so sign and width bugs show. */
  public static final long T0 = 1_893_456_000_000L;

  private static final long CREATED_AT = T0 - 1000;
  private static final AtomicLong SEQ = new AtomicLong();
  private static final byte[] NO_BODY = new byte[0];

  private StoreFixtures() {}

  /** How the backend under test completes ids (its partition, for Redis); set by the contracts. */
  private static volatile MessageIds ids = MessageIds.AS_MINTED;

  /**
   * A fresh id that sorts after every earlier one, as ingest's ids do, and of the shape ingest
   * mints ({@code msg_} + 11 + 8 base62 characters).
   */
  public static String nextId() {
    return String.format("msg_%011d%08d", SEQ.incrementAndGet(), 0);
  }

  /**
   * Makes the messages built here carry ids as {@code messageIds} completes them (a store that
   * finds messages by their id needs them placed as ingest would); {@link MessageIds#AS_MINTED}
   * resets.
   */
  public static void placeIdsWith(MessageIds messageIds) {
    ids = messageIds;
  }

  /**
   * Whether unqueued messages built here get ids that hold their due time, as ingest mints them
   * ({@code Ids.newMessageIdDueAt}); else every id comes from {@link #nextId}. Set by a contract
   * variant, reset by the contracts.
   */
  private static volatile boolean dueTimeIds;

  public static void mintDueTimeIds(boolean mint) {
    dueTimeIds = mint;
  }

  private static String placedId(String tenant, String queue, String dedupKey, long dueAt) {
    String minted =
        dueTimeIds && queue == null ? Ids.newMessageIdDueAt(dueAt, CREATED_AT) : nextId();
    return ids.complete(minted, new MessageIds.Placement(tenant, queue, null, null, dedupKey));
  }

  /** An unqueued message due at T0 that will be appended with dedup key {@code dedupKey}. */
  public static Message guarded(String tenant, String dedupKey) {
    return message(placedId(tenant, null, dedupKey, T0), tenant, null, T0);
  }

  /** An unqueued message of {@code tenant} due at {@code dueAt}. */
  public static Message message(String tenant, long dueAt) {
    return message(tenant, null, dueAt);
  }

  /** A message in {@code queue} (null = unqueued), with a few headers and a text body. */
  public static Message message(String tenant, String queue, long dueAt) {
    return message(placedId(tenant, queue, null, dueAt), tenant, queue, dueAt);
  }

  private static Message message(String id, String tenant, String queue, long dueAt) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Content-Type", List.of("application/json"));
    headers.put("X-Many", List.of("one", "two"));
    return MessageBuilder.message(id, tenant, "https://example.com/hook?x=1")
        .queueName(queue)
        .headers(headers)
        .body(("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8))
        .maxRetries(3)
        .createdAt(CREATED_AT)
        .callerIp("10.0.0.1")
        .labels(List.of())
        .dueAt(dueAt)
        .build();
  }

  public static Message queued(String tenant, String queue) {
    return message(tenant, queue, T0);
  }

  /** Every optional field set, non-ASCII text and a body holding every byte value. */
  public static Message everyField(String tenant) {
    byte[] body = new byte[256];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) i;
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Content-Type", List.of("application/octet-stream"));
    headers.put("X-Émoji", List.of("😀 ok", "", "ünïcödé"));
    return MessageBuilder.message(
            ids.complete(
                nextId(), new MessageIds.Placement(tenant, "fifo", "key-ü", "scd_nightly", null)),
            tenant,
            "https://example.com/ünï?q=😀")
        .topicName("orders")
        .endpointName("shipping")
        .queueName("fifo")
        .method("PUT")
        .headers(headers)
        .body(body)
        .maxRetries(7)
        .retryDelayExpression("pow(2, retried) * 1000")
        .timeoutMillis(30_000)
        .notBefore(T0 + 5)
        .createdAt(T0 - 10)
        .callerIp("2001:db8::1")
        .labels(List.of("blue", "ünï"))
        .retried(2)
        .dueAt(T0 + 60_000)
        .scheduleId("scd_nightly")
        .callback(
            new CallbackConfig(
                "https://cb.example/ü",
                "PUT",
                Map.of("X-Cb", List.of("1", "2")),
                5,
                "1000 * retried",
                2000,
                3000,
                new FlowControl("cb-key", 2, 0, 1)))
        .failureCallback(
            new CallbackConfig("https://fail.example/", "POST", Map.of(), -1, null, 0, 0, null))
        .flowControl(new FlowControl("key-ü", 3, 10, 60))
        .build();
  }

  /** Only the required fields: every nullable string null, empty body, headers and labels. */
  public static Message requiredOnly(String tenant) {
    return MessageBuilder.message(placedId(tenant, null, null, T0), tenant, "http://h/")
        .method("GET")
        .dueAt(T0)
        .build();
  }

  public static AttemptResult attempt(int status) {
    return new AttemptResult(
        status,
        Map.of("Content-Type", List.of("text/plain")),
        ("status " + status).getBytes(StandardCharsets.UTF_8),
        status == 0 ? "connection refused" : null,
        T0 + 1);
  }

  public static DlqEntry dlqEntry(String dlqId, Message message) {
    return new DlqEntry(dlqId, message, attempt(500));
  }

  /** Field by field, bodies byte by byte (records compare arrays by identity). */
  public static void assertSameMessage(Message expected, Message actual) {
    assertEquals(withoutBody(expected), withoutBody(actual));
    assertArrayEquals(expected.body(), actual.body(), "body of " + expected.id());
  }

  public static void assertSameMessages(List<Message> expected, List<Message> actual) {
    assertEquals(ids(expected), ids(actual));
    for (int i = 0; i < expected.size(); i++) {
      assertSameMessage(expected.get(i), actual.get(i));
    }
  }

  public static void assertSameAttempt(AttemptResult expected, AttemptResult actual) {
    assertEquals(expected.status(), actual.status());
    assertEquals(expected.headers(), actual.headers());
    assertArrayEquals(expected.body(), actual.body());
    assertEquals(expected.error(), actual.error());
    assertEquals(expected.time(), actual.time());
  }

  public static void assertSameEntry(DlqEntry expected, DlqEntry actual) {
    assertEquals(expected.dlqId(), actual.dlqId());
    assertSameMessage(expected.message(), actual.message());
    assertSameAttempt(expected.last(), actual.last());
  }

  public static List<String> ids(List<Message> messages) {
    return messages.stream().map(Message::id).toList();
  }

  /** Waits for a store future on the JUnit thread (never on a Vert.x thread). */
  public static <T> T await(Future<T> future) {
    try {
      return future.await(5, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("store call did not complete within 5 s", e);
    }
  }

  private static Message withoutBody(Message m) {
    return MessageBuilder.from(m).body(NO_BODY).build();
  }
}
