package dev.ferry.delivery.hosts;

import dev.ferry.model.DueEntry;
import dev.ferry.model.Message;
import dev.ferry.model.StoreCopies;
import dev.ferry.store.MessageStore;
import io.vertx.core.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts parked messages when their host's slot passes to them ({@link HostShares}): reads them
 * again from the store (only the id was kept while parked) and hands them to the plane. Slots freed
 * within {@link #GATHER_MILLIS} are read in one store call (a host draining a large backlog frees
 * one after another). A message that is gone (delivered, cancelled) or was rescheduled meanwhile
 * gives its slot on to the next parked one. {@link #resume} is called from any thread; the rest
 * runs on the context given.
 */
public final class Unparking implements HostShares.Resume {
  /**
   * Delivery as unparking sees it (the plane's {@code resume}): takes messages whose host's slot is
   * theirs now and starts them. An interface so that this package needs nothing of delivery's.
   */
  @FunctionalInterface
  public interface Start {
    void start(StoreCopies ready);
  }

  /**
   * Where entries go that could not be read now: back to the scheduler, due again at their time.
   */
  @FunctionalInterface
  public interface Later {
    void at(List<DueEntry> entries);
  }

  private static final Logger LOG = LoggerFactory.getLogger(Unparking.class);
  private static final int MAX_BATCH = 1024;

  /**
   * How long freed slots are gathered before their messages are read: a host with parked messages
   * has its whole share of attempts in flight (usually more than its connections), so a millisecond
   * before the next one starts costs it nothing, and one read of many saves a store call, a reader
   * thread's wake-up and a hop back every few deliveries (loadtest/RESULTS.md, 2026-12-07 04:51).
   */
  private static final long GATHER_MILLIS = 1;

  private record Waiting(String host, DueEntry parked) {}

  private final MessageStore messages;
  private final Start start;
  private final HostShares shares;
  private final Later later;
  private final Clock clock;
  private final Context context;
  private List<Waiting> pending = new ArrayList<>(); // guarded by this

  public Unparking(
      MessageStore messages,
      Start start,
      HostShares shares,
      Later later,
      Clock clock,
      Context context) {
    this.messages = messages;
    this.start = start;
    this.shares = shares;
    this.later = later;
    this.clock = clock;
    this.context = context;
  }

  @Override
  public void resume(String host, DueEntry parked) {
    boolean first;
    synchronized (this) {
      first = pending.isEmpty();
      pending.add(new Waiting(host, parked));
    }
    if (first) context.runOnContext(v -> context.owner().setTimer(GATHER_MILLIS, t -> flush()));
  }

  private void flush() {
    List<Waiting> batch;
    synchronized (this) {
      if (pending.size() <= MAX_BATCH) {
        batch = pending;
        pending = new ArrayList<>();
      } else {
        batch = new ArrayList<>(pending.subList(0, MAX_BATCH));
        pending = new ArrayList<>(pending.subList(MAX_BATCH, pending.size()));
        context.runOnContext(v -> flush());
      }
    }
    if (batch.isEmpty()) return;
    List<String> ids = new ArrayList<>(batch.size());
    batch.forEach(w -> ids.add(w.parked().messageId()));
    long readNanos = System.nanoTime();
    messages
        .findAll(ids)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                // the store's due index still has them; the scheduler tries again in a second
                LOG.error(
                    "cannot read {} parked messages to resume their delivery; trying again in 1s",
                    ids.size(),
                    ar.cause());
                long retryAt = clock.millis() + 1000;
                batch.forEach(
                    w -> later.at(List.of(new DueEntry(retryAt, w.parked().messageId()))));
                batch.forEach(w -> shares.release(w.host()));
                return;
              }
              Map<String, Message> found = new HashMap<>();
              ar.result().forEach(m -> found.put(m.id(), m));
              List<Message> ready = new ArrayList<>(batch.size());
              for (Waiting w : batch) {
                Message m = found.get(w.parked().messageId());
                // an entry earlier than the stored due time is stale: the message was rescheduled
                // and has a later entry
                if (m != null && m.dueAt() <= w.parked().dueAt()) {
                  ready.add(m);
                } else {
                  shares.release(w.host());
                }
              }
              if (!ready.isEmpty()) start.start(new StoreCopies(ready, readNanos));
            });
  }
}
