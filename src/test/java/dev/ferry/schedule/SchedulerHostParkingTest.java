package dev.ferry.schedule;

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
import dev.ferry.store.Stores;
import dev.ferry.testing.MessageBuilder;
import dev.ferry.testing.Polls;
import dev.ferry.testing.TestFerry;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A due entry whose destination host holds its share of delivery's slots is parked by the scheduler
 * without its message being read from the store (it is read once, when a slot passes to it: {@code
 * delivery.hosts.HostSharesTest}). Other hosts' messages, and entries whose host is not known, are
 * read and handed on.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SchedulerHostParkingTest {
  private static final String DEAD = "http://dead.example:81";
  private static final String HEALTHY = "http://healthy.example";

  @TempDir Path dataDir;

  @Test
  void entries_of_a_saturated_host_are_parked_unread_and_the_others_are_read_and_handed_on(
      Vertx vertx) throws Exception {
    StoreBackend backend =
        await(
            StoreBackends.open(
                vertx, TestFerry.config(dataDir), StoreMetrics.NONE, Clock.systemUTC()));
    Stores stores = backend.stores();
    try {
      Clock clock = Clock.systemUTC();
      long due = clock.millis() + 50;
      List<Message> dead = new ArrayList<>();
      List<Message> healthy = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        dead.add(message(DEAD + "/hook", due + i));
        healthy.add(message(HEALTHY + "/hook", due + i));
      }
      Message untagged =
          message(DEAD + "/hook", due); // read back from the store, say: its host is not known
      List<Message> all = new ArrayList<>(dead);
      all.addAll(healthy);
      all.add(untagged);

      Set<String> read = ConcurrentHashMap.newKeySet();
      Set<String> handedOn = ConcurrentHashMap.newKeySet();
      List<DueEntry> parked = Collections.synchronizedList(new ArrayList<>());
      SchedulerVerticle scheduler =
          new SchedulerVerticle(
              readsRecorded(stores.messages(), read),
              Duration.ofMinutes(1),
              clock,
              Integer.MAX_VALUE);
      scheduler.deliverTo(
          new SchedulerVerticle.Delivery(
              copies -> copies.messages().forEach(m -> handedOn.add(m.id())),
              () -> 1000,
              e -> DEAD.equals(e.host()) && parked.add(e))); // the dead host holds its share
      vertx.deployVerticle(scheduler).await(10, TimeUnit.SECONDS);
      await(
          stores
              .messages()
              .append(all)); // then handed over as ingest does (rows already stored load untagged)
      List<DueEntry> entries = new ArrayList<>();
      dead.forEach(m -> entries.add(new DueEntry(m.dueAt(), m.id(), DEAD)));
      healthy.forEach(m -> entries.add(new DueEntry(m.dueAt(), m.id(), HEALTHY)));
      entries.add(new DueEntry(untagged.dueAt(), untagged.id()));
      scheduler.schedule(entries);

      Set<String> expected = ids(healthy);
      expected.add(untagged.id());
      Polls.waitUpTo(
          Duration.ofSeconds(10), () -> handedOn.containsAll(expected) && parked.size() >= 5);
      assertEquals(
          expected,
          handedOn,
          "the healthy host's messages and the untagged one are read and handed on");
      assertEquals(ids(dead), parked.stream().map(DueEntry::messageId).collect(Collectors.toSet()));
      assertTrue(parked.stream().allMatch(e -> e.dueAt() >= due), "parked with their due times");
      assertTrue(
          read.stream().noneMatch(ids(dead)::contains), "a parked message was read: " + read);
    } finally {
      await(backend.close());
    }
  }

  private static Message message(String url, long dueAt) {
    Message m = StoreFixtures.message("acme", dueAt);
    return MessageBuilder.message(m.id(), m.tenant(), url)
        .headers(Map.of())
        .body(m.body())
        .maxRetries(3)
        .createdAt(m.createdAt())
        .callerIp("10.0.0.1")
        .labels(List.of())
        .dueAt(dueAt)
        .build();
  }

  private static Set<String> ids(List<Message> messages) {
    return messages.stream().map(Message::id).collect(Collectors.toSet());
  }

  /** The store, recording every id asked for with {@code findAll}. */
  @SuppressWarnings("unchecked")
  private static MessageStore readsRecorded(MessageStore store, Set<String> read) {
    return (MessageStore)
        Proxy.newProxyInstance(
            MessageStore.class.getClassLoader(),
            new Class<?>[] {MessageStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("findAll")) read.addAll((List<String>) args[0]);
              try {
                return method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
