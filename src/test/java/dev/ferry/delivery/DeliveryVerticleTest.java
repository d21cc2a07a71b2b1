package dev.ferry.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.model.DueEntry;
import dev.ferry.model.Message;
import dev.ferry.model.StoreCopies;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Sink;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One delivery partition, deployed on real Vert.x over the real store and deliverer: at most {@code
 * maxInFlight} unqueued attempts at once, every message it is done with reported back, later
 * retries handed to the scheduler, duplicates not attempted twice, and queued messages through
 * their queue's dispatcher.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeliveryVerticleTest {
  private static final int MAX_IN_FLIGHT = 2;

  @TempDir Path dir;
  private DeliveryFixture f;
  private final List<DueEntry> later = new CopyOnWriteArrayList<>();
  private final List<String> finished = new CopyOnWriteArrayList<>();
  private DeliveryVerticle partition;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    f = new DeliveryFixture(vertx, dir);
    partition =
        new DeliveryVerticle(f.partition(later::addAll, MAX_IN_FLIGHT), m -> finished.add(m.id()));
    vertx.deployVerticle(partition).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
  }

  @Test
  void never_more_than_max_in_flight_attempts_and_every_message_is_reported_finished()
      throws Exception {
    f.sink.on("/slow", r -> new Sink.Reply(200, Map.of(), "", 200));
    List<Message> due = new ArrayList<>();
    for (int i = 0; i < 6; i++) due.add(f.message(null, "/slow", Integer.toString(i), 0, 0));
    f.store(due);
    partition.deliver(readNow(due));
    f.sink.await("/slow", 6, 10_000);
    assertEquals(MAX_IN_FLIGHT, f.sink.maxConcurrent("/slow"));
    Set<String> ids = due.stream().map(Message::id).collect(Collectors.toSet());
    Polls.within(DeliveryFixture.WAIT).untilAsserted(() -> assertEquals(ids, Set.copyOf(finished)));
    assertEquals(6, finished.size(), "each exactly once: " + finished);
  }

  @Test
  void a_retry_due_later_goes_to_the_scheduler_and_leaves_the_partition() throws Exception {
    f.sink.on("/fail", r -> Sink.Reply.status(500));
    Message m = f.message(null, f.sink.url("/fail"), "POST", Map.of(), new byte[0], 1, "60000", 0);
    f.store(List.of(m));
    long before = f.clock.millis();
    partition.deliver(readNow(List.of(m)));
    Polls.within(DeliveryFixture.WAIT).untilAsserted(() -> assertEquals(1, later.size()));
    DueEntry entry = later.get(0);
    assertEquals(m.id(), entry.messageId());
    assertTrue(
        entry.dueAt() >= before + 60_000, "due a minute on: " + (entry.dueAt() - before) + "ms");
    Polls.within(DeliveryFixture.WAIT).untilAsserted(() -> assertEquals(List.of(m.id()), finished));
    assertEquals(1, f.sink.received("/fail").size(), "not attempted again here");
  }

  @Test
  void a_message_handed_over_again_while_in_flight_is_not_attempted_twice() throws Exception {
    Message m = attemptBeingAnswered();
    partition.deliver(
        readNow(List.of(m))); // a duplicate nudge while the first attempt is still being answered
    Polls.within(DeliveryFixture.WAIT).untilAsserted(() -> assertEquals(2, finished.size()));
    assertEquals(1, f.sink.received("/once").size());
  }

  @Test
  void a_copy_read_while_its_attempt_ran_starts_nothing_once_that_attempt_ended() throws Exception {
    Message m = attemptBeingAnswered();
    // a rescan of the due rows reads the message while its attempt is being answered
    long readWhileRunning = System.nanoTime();
    Polls.within(DeliveryFixture.WAIT).untilAsserted(() -> assertEquals(List.of(m.id()), finished));

    partition.deliver(new StoreCopies(List.of(m), readWhileRunning));
    Message after = f.message(null, "/after", "y", 0, 0);
    f.store(List.of(after));
    partition.deliver(readNow(List.of(after))); // handed over after the stale copy: a marker
    f.sink.await("/after", 1, 10_000);
    Polls.within(DeliveryFixture.WAIT).untilAsserted(() -> assertEquals(3, finished.size()));
    assertEquals(List.of(m.id(), m.id(), after.id()), finished, "the stale copy left the plane");
    assertEquals(1, f.sink.received("/once").size(), "delivered once");
  }

  @Test
  void a_copy_read_after_its_attempt_ended_is_attempted() throws Exception {
    f.sink.on("/fail", r -> Sink.Reply.status(500));
    Message m = f.message(null, f.sink.url("/fail"), "POST", Map.of(), new byte[0], 1, "60000", 0);
    f.store(List.of(m));
    partition.deliver(readNow(List.of(m)));
    Polls.within(DeliveryFixture.WAIT).untilAsserted(() -> assertEquals(List.of(m.id()), finished));

    partition.deliver(readNow(List.of(m))); // its retry, read once it was scheduled
    f.sink.await("/fail", 2, 10_000);
    assertEquals(2, f.sink.received("/fail").size());
  }

  @Test
  void queued_messages_go_through_their_queue_one_at_a_time_in_order() throws Exception {
    f.sink.on("/q", r -> new Sink.Reply(200, Map.of(), "", 30));
    f.putQueue("jobs", 1);
    List<Message> queued = new ArrayList<>();
    for (int i = 0; i < 5; i++) queued.add(f.message("jobs", "/q", Integer.toString(i), 0, 0));
    f.store(queued);
    partition.queueNudged(DeliveryFixture.TENANT, "jobs");
    f.sink.await("/q", 5, 10_000);
    assertEquals(List.of("0", "1", "2", "3", "4"), f.bodies("/q"));
    assertEquals(
        1,
        f.sink.maxConcurrent("/q"),
        "the queue's parallelism, not the partition's " + MAX_IN_FLIGHT);
  }

  /** A message whose attempt has reached the sink, which answers it 300 ms later. */
  private Message attemptBeingAnswered() throws Exception {
    f.sink.on("/once", r -> new Sink.Reply(200, Map.of(), "", 300));
    Message m = f.message(null, "/once", "x", 0, 0);
    f.store(List.of(m));
    partition.deliver(readNow(List.of(m)));
    f.sink.await("/once", 1, 10_000);
    return m;
  }

  /** Copies as a store read that began now would hand them over. */
  private static StoreCopies readNow(List<Message> messages) {
    return new StoreCopies(messages, System.nanoTime());
  }
}
