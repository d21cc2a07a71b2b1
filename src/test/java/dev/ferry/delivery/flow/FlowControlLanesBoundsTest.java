package dev.ferry.delivery.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.delivery.DeliveryPlane;
import dev.ferry.model.FlowControl;
import dev.ferry.model.FlowControlCommand;
import dev.ferry.model.FlowControlState;
import dev.ferry.model.Message;
import dev.ferry.store.FlowControlStore;
import dev.ferry.store.StoreFixtures;
import dev.ferry.testing.MessageBuilder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The memory bounds of {@link FlowControlLanes}: waiting messages and bytes, and forgetting idle
 * keys.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FlowControlLanesBoundsTest {
  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final ManualClock clock = new ManualClock();
  private final List<Message> started = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  private FlowControlLanes lanes(int maxWaiting, long maxBytes, int maxKeys) throws Exception {
    return on(
        () ->
            new FlowControlLanes(
                vertx,
                context,
                clock,
                new GlobalParallelism(0),
                FlowControlStore.NONE,
                started::add,
                new FlowControlBounds(maxWaiting, maxBytes, maxKeys, Duration.ofSeconds(30))));
  }

  private static Message message(String key, int parallelism, int rate) {
    Message m = StoreFixtures.message("t", StoreFixtures.T0);
    return MessageBuilder.message(m.id(), m.tenant(), m.url())
        .method(m.method())
        .headers(m.headers())
        .body(m.body())
        .maxRetries(3)
        .createdAt(m.createdAt())
        .labels(List.of())
        .dueAt(m.dueAt())
        .flowControl(new FlowControl(key, parallelism, rate, 1))
        .build();
  }

  @Test
  void past_max_waiting_a_message_is_handed_back_for_when_the_rate_lets_it_start()
      throws Exception {
    FlowControlLanes lanes = lanes(3, Long.MAX_VALUE, 100);
    long now = clock.millis();
    List<Long> answers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Message m = message("k", 1, 2);
      answers.add(on(() -> lanes.offer(m)));
    }
    assertEquals(1, started.size(), "parallelism 1: one started");
    assertEquals(
        List.of(-1L, -1L, -1L, -1L), answers.subList(0, 4), "three wait beside the one started");
    // behind three waiting at 2 per second: 4 / 2 s from now
    assertEquals(now + 2_000, answers.get(4));
    assertEquals(3, (int) on(lanes::waiting));
  }

  @Test
  void past_max_waiting_bytes_a_message_is_handed_back_but_one_always_fits() throws Exception {
    Message first = message("paused", 1, 0);
    FlowControlLanes lanes = lanes(100, DeliveryPlane.heldBytes(first) + 10, 100);
    awaitOn(
        () ->
            lanes.command(
                "t",
                new FlowControlCommand(FlowControlCommand.Kind.PAUSE, "paused", null, null, null)));
    assertEquals(-1L, on(() -> lanes.offer(first)));
    long back = on(() -> lanes.offer(message("paused", 1, 0)));
    assertEquals(
        clock.millis() + 30_000, back, "a paused key's message comes back after the longest defer");
  }

  @Test
  void idle_keys_are_forgotten_to_make_room_and_busy_ones_are_not() throws Exception {
    FlowControlLanes lanes = lanes(100, Long.MAX_VALUE, 2);
    Message a = message("a", 1, 0);
    Message b = message("b", 1, 0);
    assertEquals(-1L, on(() -> lanes.offer(a)));
    assertEquals(-1L, on(() -> lanes.offer(b)));
    long deferred = on(() -> lanes.offer(message("c", 1, 0)));
    assertEquals(
        clock.millis() + FlowControlLanes.MIN_DEFER_MILLIS,
        deferred,
        "both keys are busy: c comes back");

    clock.now += 2_000; // past a's (and b's) rate window
    on(
        () -> {
          lanes.ended(a); // a is idle now: forgotten when c needs room
          return null;
        });
    assertEquals(-1L, on(() -> lanes.offer(message("c", 1, 0))));
    assertEquals(2, (int) on(lanes::keys));
    List<FlowControlState> listed =
        awaitOn(
            () ->
                lanes.command(
                    "t",
                    new FlowControlCommand(FlowControlCommand.Kind.LIST, null, null, null, null)));
    List<String> keys = listed.stream().map(FlowControlState::key).sorted().toList();
    assertEquals(List.of("b", "c"), keys);
    assertTrue(started.size() >= 3);
  }

  /** Runs {@code work} on the lanes' context and waits for its value. */
  private <T> T on(Callable<T> work) throws Exception {
    Promise<T> result = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            result.complete(work.call());
          } catch (Exception e) {
            result.fail(e);
          }
        });
    return result.future().await(5, TimeUnit.SECONDS);
  }

  /** Runs {@code work} on the lanes' context and waits for the future it returns. */
  private <T> T awaitOn(Callable<Future<T>> work) throws Exception {
    Promise<T> result = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            work.call().onComplete(result);
          } catch (Exception e) {
            result.fail(e);
          }
        });
    return result.future().await(5, TimeUnit.SECONDS);
  }

  /** Time moves only when the test moves it. */
  private static final class ManualClock extends Clock {
    volatile long now = StoreFixtures.T0;

    @Override
    public long millis() {
      return now;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(now);
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
