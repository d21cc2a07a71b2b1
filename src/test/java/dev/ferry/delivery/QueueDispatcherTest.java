package dev.ferry.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.delivery.callback.Callbacks;
import dev.ferry.model.Message;
import dev.ferry.store.MessageStore;
import dev.ferry.store.PartitionOwnership;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Sink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One queue's dispatcher over the real store and deliverer: FIFO order, at most {@code parallelism}
 * attempts in flight, and a slot that is given back however an attempt ends (delivered, failed,
 * timed out, cancelled, refused, or its outcome not recorded at first) and kept while the message
 * waits for its retry.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QueueDispatcherTest {
  private static final String QUEUE = "q";

  @TempDir Path dir;
  private DeliveryFixture f;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    f = new DeliveryFixture(vertx, dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
  }

  @Test
  void with_parallelism_one_messages_go_out_one_at_a_time_in_the_order_they_were_stored()
      throws Exception {
    f.sink.on("/fifo", r -> new Sink.Reply(200, Map.of(), "", 30));
    List<Message> stored = f.store(numbered("/fifo", 6));
    dispatch(1, f.messages(), Transitions.NONE);
    f.sink.await("/fifo", 6, 10_000);
    assertEquals(List.of("0", "1", "2", "3", "4", "5"), f.bodies("/fifo"));
    assertEquals(1, f.sink.maxConcurrent("/fifo"));
    assertEquals(stored.get(0).id(), f.sink.received("/fifo").get(0).header("Upstash-Message-Id"));
  }

  @Test
  void never_more_than_parallelism_attempts_are_in_flight_and_all_of_it_is_used() throws Exception {
    f.sink.on("/p", r -> new Sink.Reply(200, Map.of(), "", 200));
    f.store(numbered("/p", 12));
    dispatch(3, f.messages(), Transitions.NONE);
    f.sink.await("/p", 12, 10_000);
    assertEquals(3, f.sink.maxConcurrent("/p"));
  }

  @Test
  void a_message_waiting_for_its_retry_keeps_its_slot_so_the_next_one_waits() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    f.sink.on("/flaky", r -> Sink.Reply.status(calls.getAndIncrement() == 0 ? 500 : 200));
    Message head =
        f.message(QUEUE, f.sink.url("/flaky"), "POST", Map.of(), "head".getBytes(), 1, "300", 0);
    f.store(List.of(head, f.message(QUEUE, "/after", "next", 0, 0)));
    dispatch(1, f.messages(), Transitions.NONE);
    Sink.Received next = f.sink.await("/after", 1, 10_000).get(0);
    List<Sink.Received> flaky = f.sink.received("/flaky");
    assertEquals(2, flaky.size(), "the head's first attempt and its retry");
    assertTrue(
        next.atMillis() >= flaky.get(1).atMillis(),
        "the next message went out after the head's retry");
  }

  @Test
  void a_delivered_message_gives_its_slot_back() throws Exception {
    f.store(
        List.of(f.message(QUEUE, "/ok", "head", 0, 0), f.message(QUEUE, "/after", "next", 0, 0)));
    dispatch(1, f.messages(), Transitions.NONE);
    f.sink.await("/after", 1, 10_000);
    assertEquals(1, f.sink.received("/ok").size());
  }

  @Test
  void a_failed_message_gives_its_slot_back_on_its_way_to_the_dlq() throws Exception {
    f.sink.on("/fail", r -> Sink.Reply.status(500));
    Message head = f.message(QUEUE, "/fail", "head", 0, 0);
    f.store(List.of(head, f.message(QUEUE, "/after", "next", 0, 0)));
    dispatch(1, f.messages(), Transitions.NONE);
    f.sink.await("/after", 1, 10_000);
    assertEquals(
        head.id(),
        f.call(() -> f.stores.dlq().list(DeliveryFixture.TENANT, null, 10)).get(0).message().id());
  }

  @Test
  void a_timed_out_attempt_gives_its_slot_back_without_waiting_for_the_answer() throws Exception {
    f.sink.on("/hang", r -> new Sink.Reply(200, Map.of(), "", 5_000));
    f.store(
        List.of(
            f.message(QUEUE, "/hang", "head", 0, 200), f.message(QUEUE, "/after", "next", 0, 0)));
    long started = System.currentTimeMillis();
    dispatch(1, f.messages(), Transitions.NONE);
    Sink.Received next = f.sink.await("/after", 1, 10_000).get(0);
    assertTrue(
        next.atMillis() - started < 4_000,
        "the next went out " + (next.atMillis() - started) + "ms in");
  }

  @Test
  void a_message_cancelled_before_its_attempt_is_not_sent_and_gives_its_slot_back()
      throws Exception {
    Message head = f.message(QUEUE, "/cancelled", "head", 0, 0);
    f.store(List.of(head, f.message(QUEUE, "/after", "next", 0, 0)));
    Transitions cancelledHead =
        new Transitions() {
          @Override
          public boolean starting(Message m) {
            return !m.id().equals(head.id());
          }
        };
    dispatch(1, f.messages(), cancelledHead);
    f.sink.await("/after", 1, 10_000);
    assertEquals(0, f.sink.received("/cancelled").size());
  }

  @Test
  void a_refused_connection_gives_its_slot_back() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Message head =
        f.message(
            QUEUE, "http://127.0.0.1:" + closedPort + "/x", "POST", Map.of(), new byte[0], 0, 0);
    f.store(List.of(head, f.message(QUEUE, "/after", "next", 0, 0)));
    dispatch(1, f.messages(), Transitions.NONE);
    f.sink.await("/after", 1, 10_000);
  }

  @Test
  void an_outcome_that_cannot_be_recorded_keeps_the_slot_and_is_attempted_again_then_gives_it_back()
      throws Exception {
    f.sink.on("/fail", r -> Sink.Reply.status(500));
    f.store(
        List.of(f.message(QUEUE, "/fail", "head", 0, 0), f.message(QUEUE, "/after", "next", 0, 0)));
    AtomicInteger dlqWrites = new AtomicInteger();
    dispatch(1, failingFirst("moveToDlq", dlqWrites), Transitions.NONE);
    Sink.Received next = f.sink.await("/after", 1, 10_000).get(0);
    List<Sink.Received> head = f.sink.received("/fail");
    assertEquals(2, head.size(), "attempted again after the store refused its outcome");
    assertEquals(2, dlqWrites.get());
    assertTrue(
        next.atMillis() >= head.get(1).atMillis(),
        "the next waited for the head's outcome to be recorded");
  }

  @Test
  void a_message_that_ends_while_the_window_is_read_again_is_not_sent_twice() throws Exception {
    f.sink.on("/reread", r -> new Sink.Reply(200, Map.of(), "", 100));
    f.store(numbered("/reread", 3));
    QueueDispatcher d = dispatch(1, slowQueueReads(300), Transitions.NONE);
    f.sink.await("/reread", 1, 10_000);
    // a nudge (an enqueue, here or on another replica) while the head is in flight: the read
    // still holds the head, and answers only after the head's outcome was recorded
    f.onContext(d::nudged);
    f.sink.await("/reread", 3, 10_000);
    Polls.within(Duration.ofSeconds(10))
        .alias("the dispatcher idle")
        .until(() -> f.call(() -> Future.succeededFuture(d.idle())));
    assertEquals(List.of("0", "1", "2"), f.bodies("/reread"), "each message once, in order");
  }

  // ---------------------------------------------------------------------------------------------------------------

  private List<Message> numbered(String path, int n) {
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < n; i++) messages.add(f.message(QUEUE, path, Integer.toString(i), 0, 0));
    return messages;
  }

  /**
   * A dispatcher for {@link #QUEUE} at {@code parallelism}, started as delivery starts one (its
   * queue changed).
   */
  private QueueDispatcher dispatch(int parallelism, MessageStore store, Transitions transitions)
      throws Exception {
    f.putQueue(QUEUE, parallelism);
    QueueDispatcher d =
        new QueueDispatcher(
            DeliveryFixture.TENANT,
            QUEUE,
            f.vertx,
            store,
            f.stores.queues(),
            f.attempts(store, transitions),
            new Callbacks(f.clock),
            f.clock,
            PartitionOwnership.everything());
    f.onContext(d::configChanged);
    return d;
  }

  /**
   * The real store, except that the first call of {@code method} fails (a write error); counts the
   * calls.
   */
  private MessageStore failingFirst(String method, AtomicInteger calls) {
    MessageStore real = f.messages();
    return (MessageStore)
        Proxy.newProxyInstance(
            MessageStore.class.getClassLoader(),
            new Class<?>[] {MessageStore.class},
            (proxy, m, args) -> {
              if (m.getName().equals(method) && calls.getAndIncrement() == 0) {
                return Future.failedFuture("disk says no");
              }
              try {
                return m.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /**
   * The real store, except that each queue read answers {@code delayMillis} after the store did (a
   * slow round trip to a shared store).
   */
  private MessageStore slowQueueReads(long delayMillis) {
    MessageStore real = f.messages();
    return (MessageStore)
        Proxy.newProxyInstance(
            MessageStore.class.getClassLoader(),
            new Class<?>[] {MessageStore.class},
            (proxy, m, args) -> {
              Object result;
              try {
                result = m.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              if (!m.getName().equals("queueSlice")) return result;
              return ((Future<?>) result)
                  .compose(
                      slice ->
                          Future.future(
                              p -> f.vertx.setTimer(delayMillis, t -> p.complete(slice))));
            });
  }
}
