package dev.ferry.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.model.DueEntry;
import dev.ferry.model.Message;
import dev.ferry.store.MessageStore;
import dev.ferry.store.StoreBackend;
import dev.ferry.store.StoreBackends;
import dev.ferry.store.StoreFixtures;
import dev.ferry.store.StoreMetrics;
import dev.ferry.testing.InMemoryOwnership;
import dev.ferry.testing.Polls;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * With several processes sharing a store, the scheduler hands on only the due messages its process
 * owns, and reads the due index again when it gains work, so a message whose nudge went to the old
 * owner is still delivered.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SchedulerOwnershipTest {
  @TempDir Path dataDir;

  @Test
  void only_owned_messages_are_handed_on_and_gained_ones_are_found_in_the_store(Vertx vertx)
      throws Exception {
    long now = Clock.systemUTC().millis();
    Message mine = StoreFixtures.message("acme", now);
    Message theirs = StoreFixtures.message("acme", now);
    Message mineLater = StoreFixtures.message("acme", now);
    InMemoryOwnership ownership = new InMemoryOwnership();
    ownership.lose(InMemoryOwnership.message(theirs.id()));
    try (Scheduled s = start(vertx, ownership)) {
      // both are stored and announced here; then one more of ours, to know the other was seen
      s.messages().append(List.of(mine, theirs)).await(10, TimeUnit.SECONDS);
      s.scheduler.schedule(List.of(new DueEntry(now, mine.id()), new DueEntry(now, theirs.id())));
      s.messages().append(List.of(mineLater)).await(10, TimeUnit.SECONDS);
      s.scheduler.schedule(List.of(new DueEntry(now + 1, mineLater.id())));
      Polls.waitUpTo(Duration.ofSeconds(10), () -> s.handedOn.contains(mineLater.id()));
      assertEquals(Set.of(mine.id(), mineLater.id()), s.handedOn, "another process owns the other");

      // the partition comes here, with no nudge: the store's due index has the message
      ownership.gain(InMemoryOwnership.message(theirs.id()));
      Polls.waitUpTo(Duration.ofSeconds(10), () -> s.handedOn.contains(theirs.id()));
      assertTrue(s.handedOn.contains(theirs.id()), "the gained message was not found in the store");
    }
  }

  @Test
  void a_row_stored_just_after_a_gain_is_found_by_the_second_look(Vertx vertx) throws Exception {
    // another process stored it and announced it to the previous owner, as a replica whose lease
    // round has not yet seen the new assignment does
    try (Scheduled s = start(vertx, new InMemoryOwnership().settlingFor(1_000))) {
      Message late = StoreFixtures.message("acme", Clock.systemUTC().millis());
      s.ownership.lose(InMemoryOwnership.message(late.id()));
      s.ownership.gain(InMemoryOwnership.message(late.id())); // the first look finds nothing
      Thread.sleep(300); // let it read; a slower first look would find the row itself
      s.messages().append(List.of(late)).await(10, TimeUnit.SECONDS);
      // within the settle time and well before the unannounced-row scan (5 s) or the horizon's
      Polls.waitUpTo(Duration.ofMillis(3_000), () -> s.handedOn.contains(late.id()));
      assertTrue(s.handedOn.contains(late.id()), "not found by a second look after the gain");
    }
  }

  @Test
  void a_row_whose_nudge_was_lost_is_found_within_seconds_on_a_shared_store(Vertx vertx)
      throws Exception {
    try (Scheduled s = start(vertx, new InMemoryOwnership())) {
      Message unannounced = StoreFixtures.message("acme", Clock.systemUTC().millis());
      s.messages().append(List.of(unannounced)).await(10, TimeUnit.SECONDS); // no schedule()
      // the horizon (1 min) would look again only after 30 s
      Polls.waitUpTo(
          Duration.ofMillis(SchedulerVerticle.UNANNOUNCED_SCAN_MILLIS + 3_000),
          () -> s.handedOn.contains(unannounced.id()));
      assertTrue(s.handedOn.contains(unannounced.id()), "a row without a nudge was not found");
    }
  }

  /** A scheduler on a fresh embedded store, handing on into {@link #handedOn}. */
  private record Scheduled(
      StoreBackend backend,
      SchedulerVerticle scheduler,
      InMemoryOwnership ownership,
      Set<String> handedOn)
      implements AutoCloseable {
    MessageStore messages() {
      return backend.stores().messages();
    }

    @Override
    public void close() throws Exception {
      backend.close().await(30, TimeUnit.SECONDS);
    }
  }

  private Scheduled start(Vertx vertx, InMemoryOwnership ownership) throws Exception {
    StoreBackend backend =
        StoreBackends.open(vertx, TestFerry.config(dataDir), StoreMetrics.NONE, Clock.systemUTC())
            .await(30, TimeUnit.SECONDS);
    Set<String> handedOn = ConcurrentHashMap.newKeySet();
    SchedulerVerticle scheduler =
        new SchedulerVerticle(
            backend.stores().messages(),
            Duration.ofMinutes(1),
            Clock.systemUTC(),
            Integer.MAX_VALUE,
            ownership);
    scheduler.deliverTo(
        new SchedulerVerticle.Delivery(
            copies -> copies.messages().forEach(m -> handedOn.add(m.id())),
            () -> 1000,
            e -> false));
    vertx.deployVerticle(scheduler).await(10, TimeUnit.SECONDS);
    return new Scheduled(backend, scheduler, ownership, handedOn);
  }
}
