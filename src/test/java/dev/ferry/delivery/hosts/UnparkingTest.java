package dev.ferry.delivery.hosts;

import static dev.ferry.store.StoreFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.model.DueEntry;
import dev.ferry.model.Message;
import dev.ferry.store.MessageStore;
import dev.ferry.store.StoreBackend;
import dev.ferry.store.StoreBackends;
import dev.ferry.store.StoreFixtures;
import dev.ferry.store.StoreMetrics;
import dev.ferry.testing.Polls;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slots freed one by one, over many turns of the event loop, are read back in a few store calls,
 * not one each: a saturated host drains its backlog without a store round trip per message.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UnparkingTest {
  private static final String HOST = "http://busy.example";
  private static final int SLOTS = 50;

  @TempDir Path dataDir;

  @Test
  void slots_freed_over_many_turns_are_read_together_and_each_message_starts_once(Vertx vertx)
      throws Exception {
    StoreBackend backend =
        await(
            StoreBackends.open(
                vertx, TestFerry.config(dataDir), StoreMetrics.NONE, Clock.systemUTC()));
    try {
      List<Message> stored = new ArrayList<>();
      for (int i = 0; i < SLOTS; i++) stored.add(StoreFixtures.message("acme", 1_000 + i));
      await(backend.stores().messages().append(stored));
      AtomicInteger reads = new AtomicInteger();
      List<Message> started = Collections.synchronizedList(new ArrayList<>());
      Context context = vertx.getOrCreateContext();
      Unparking unparking =
          new Unparking(
              readsCounted(backend.stores().messages(), reads),
              ready -> started.addAll(ready.messages()),
              HostShares.unlimited(),
              entries -> {},
              Clock.systemUTC(),
              context);

      // one slot per turn of the loop, as attempts end one after the other
      context.runOnContext(v -> freeOneAfterAnother(context, unparking, stored, 0));
      Polls.waitUpTo(Duration.ofSeconds(10), () -> started.size() >= SLOTS);

      // reads may complete out of order, so only what is read together starts in order
      assertEquals(SLOTS, started.size(), "each parked message starts once");
      assertEquals(
          stored.stream().map(Message::id).collect(Collectors.toSet()),
          started.stream().map(Message::id).collect(Collectors.toSet()));
      assertTrue(reads.get() <= 10, SLOTS + " slots freed in turn took " + reads + " reads");
    } finally {
      await(backend.close());
    }
  }

  private static void freeOneAfterAnother(
      Context context, Unparking unparking, List<Message> stored, int next) {
    if (next == stored.size()) return;
    Message m = stored.get(next);
    unparking.resume(HOST, new DueEntry(m.dueAt(), m.id()));
    context.runOnContext(v -> freeOneAfterAnother(context, unparking, stored, next + 1));
  }

  /** The store, counting its {@code findAll} calls. */
  private static MessageStore readsCounted(MessageStore store, AtomicInteger reads) {
    return (MessageStore)
        Proxy.newProxyInstance(
            MessageStore.class.getClassLoader(),
            new Class<?>[] {MessageStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("findAll")) reads.incrementAndGet();
              try {
                return method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
