package dev.ferry.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.delivery.hosts.HostShares;
import dev.ferry.model.DueEntry;
import dev.ferry.model.Message;
import dev.ferry.model.StoreCopies;
import dev.ferry.store.FlowControlStore;
import dev.ferry.store.MessageStore;
import dev.ferry.store.OwnershipLostException;
import dev.ferry.testing.InMemoryOwnership;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Sink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery when several processes share the store and its work moves between them: a queue handed
 * over finishes its attempt in flight first and starts nothing more here, messages another process
 * owns are left to it, and an outcome the store refuses because another process took the message
 * over is dropped (no retry, no DLQ entry), never treated as an error.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeliveryOwnershipTest {
  private static final String QUEUE = "jobs";

  @TempDir Path dir;
  private DeliveryFixture f;
  private final InMemoryOwnership ownership = new InMemoryOwnership();
  private final DeliveryDrain drain = new DeliveryDrain();
  private final List<DueEntry> later = new CopyOnWriteArrayList<>();
  private final List<String> finished = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    f = new DeliveryFixture(vertx, dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
  }

  @Test
  void a_queue_handed_over_ends_its_attempt_in_flight_first_and_resumes_in_order_when_regained()
      throws Exception {
    f.sink.on("/q", r -> new Sink.Reply(200, Map.of(), "", 300));
    f.putQueue(QUEUE, 1);
    List<Message> queued = new ArrayList<>();
    for (int i = 0; i < 4; i++) queued.add(f.message(QUEUE, "/q", Integer.toString(i), 0, 0));
    f.store(queued);
    DeliveryPlane plane = plane(f.messages());
    plane.queueNudged(DeliveryFixture.TENANT, QUEUE);
    f.sink.await("/q", 1, 10_000);

    ownership
        .release(InMemoryOwnership.queue(DeliveryFixture.TENANT, QUEUE))
        .await(10, TimeUnit.SECONDS);
    assertEquals(
        Optional.empty(),
        f.call(() -> f.messages().find(DeliveryFixture.TENANT, queued.get(0).id())),
        "the attempt in flight ended and was recorded before the handover completed");
    deliverMarker(plane);
    assertEquals(1, f.sink.received("/q").size(), "nothing more started after the handover");

    ownership.gain(InMemoryOwnership.queue(DeliveryFixture.TENANT, QUEUE));
    f.sink.await("/q", 4, 10_000);
    assertEquals(List.of("0", "1", "2", "3"), f.bodies("/q"), "each once, in order");
    assertEquals(1, f.sink.maxConcurrent("/q"));
  }

  @Test
  void stored_messages_another_process_owns_are_left_to_it() throws Exception {
    f.sink.on("/u", r -> Sink.Reply.status(200));
    Message mine = f.message(null, "/u", "mine", 0, 0);
    Message theirs = f.message(null, "/u", "theirs", 0, 0);
    f.store(List.of(mine, theirs));
    ownership.lose(InMemoryOwnership.message(theirs.id()));
    DeliveryPlane plane = plane(f.messages());
    plane.stored(List.of(mine, theirs));
    f.sink.await("/u", 1, 10_000);
    deliverMarker(plane);
    assertEquals(List.of("mine"), f.bodies("/u"));
  }

  @Test
  void an_outcome_refused_because_another_process_took_the_message_over_is_dropped()
      throws Exception {
    f.sink.on("/fail", r -> Sink.Reply.status(500));
    f.sink.on("/ok", r -> Sink.Reply.status(200));
    Message failing = f.message(null, "/fail", "f", 3, 0);
    Message delivered = f.message(null, "/ok", "d", 3, 0);
    f.store(List.of(failing, delivered));
    DeliveryPlane plane = plane(takenOver(f.messages()));
    plane.due(new StoreCopies(List.of(failing, delivered), System.nanoTime()));
    Polls.within(DeliveryFixture.WAIT)
        .untilAsserted(
            () -> assertEquals(Set.of(failing.id(), delivered.id()), Set.copyOf(finished)));
    assertEquals(List.of(), later, "no retry scheduled here: the new owner has the message");
    assertEquals(1, f.sink.received("/fail").size());
    assertEquals(1, f.sink.received("/ok").size());
    Message stored =
        f.call(() -> f.messages().find(DeliveryFixture.TENANT, failing.id())).orElseThrow();
    assertEquals(0, stored.retried(), "no retry used up by the refused outcome");
    assertTrue(
        f.call(() -> f.stores.dlq().count(DeliveryFixture.TENANT)) == 0, "nothing dead-lettered");
  }

  @Test
  void an_attempt_waiting_for_a_connection_when_its_message_is_handed_over_is_never_sent()
      throws Exception {
    f.sink.on("/slow", r -> new Sink.Reply(200, Map.of(), "", 500));
    int connections = DeliveryFixture.CONFIG.maxConnectionsPerHost();
    List<Message> sending = new ArrayList<>();
    for (int i = 0; i < connections; i++) sending.add(f.message(null, "/slow", "s" + i, 3, 0));
    Message waiting = f.message(null, "/slow", "waiting", 3, 0);
    List<Message> all = new ArrayList<>(sending);
    all.add(waiting);
    f.store(all);
    DeliveryPlane plane = plane(f.messages());
    plane.due(new StoreCopies(all, System.nanoTime()));
    Polls.within(DeliveryFixture.WAIT)
        .untilAsserted(() -> assertEquals(1, f.deliverer.waitingForConnection()));

    ownership.release(InMemoryOwnership.message(waiting.id())).await(10, TimeUnit.SECONDS);
    Polls.within(DeliveryFixture.WAIT)
        .untilAsserted(() -> assertEquals(all.size(), finished.size()));
    assertEquals(connections, f.sink.received("/slow").size());
    assertFalse(f.bodies("/slow").contains("waiting"), "sent after it was handed over");
    assertEquals(List.of(), later, "no retry scheduled here: the new owner has the message");
    Message stored =
        f.call(() -> f.messages().find(DeliveryFixture.TENANT, waiting.id())).orElseThrow();
    assertEquals(0, stored.retried(), "left to the new owner as it was");
  }

  /** One delivery partition over {@code store} behind a plane, following {@link #ownership}. */
  private DeliveryPlane plane(MessageStore store) throws Exception {
    DeliveryVerticle.Collaborators c = f.partition(later::addAll, 10, store, drain, ownership);
    DeliveryPlane plane =
        new DeliveryPlane(
            1,
            done ->
                new DeliveryVerticle(
                    c,
                    m -> {
                      finished.add(m.id());
                      done.accept(m);
                    }),
            later::addAll,
            () -> {},
            1000,
            Long.MAX_VALUE / 4,
            HostShares.unlimited(),
            f.clock,
            ownership);
    for (DeliveryVerticle p : plane.partitions())
      f.vertx.deployVerticle(p).await(10, TimeUnit.SECONDS);
    new Handover(f.vertx, plane, f.stores.queues(), FlowControlStore.NONE, drain, ownership)
        .start();
    return plane;
  }

  /** Delivers an owned message and waits for it: what was started before it has started. */
  private void deliverMarker(DeliveryPlane plane) throws Exception {
    f.sink.on("/marker", r -> Sink.Reply.status(200));
    Message marker = f.message(null, "/marker", "m", 0, 0);
    f.store(List.of(marker));
    plane.stored(List.of(marker));
    f.sink.await("/marker", 1, 10_000);
  }

  /**
   * The store as a process sees it after its partitions were taken over: delivery writes refused.
   */
  private static MessageStore takenOver(MessageStore real) {
    Set<String> fenced = Set.of("markDelivered", "markAllDelivered", "reschedule", "moveToDlq");
    return (MessageStore)
        Proxy.newProxyInstance(
            MessageStore.class.getClassLoader(),
            new Class<?>[] {MessageStore.class},
            (proxy, m, args) -> {
              if (fenced.contains(m.getName())) {
                return Future.failedFuture(new OwnershipLostException("taken over"));
              }
              try {
                return m.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
