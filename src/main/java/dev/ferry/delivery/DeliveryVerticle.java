package dev.ferry.delivery;

import dev.ferry.model.Message;
import dev.ferry.store.MessageStore;
import dev.ferry.store.QueueStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery partition, on its own event loop: delivers the due unqueued messages routed to it (in parallel, at
 * most {@code maxInFlight} at a time) and owns the dispatchers of the queues hashed to it. Public methods may be
 * called from any thread; they hop onto this verticle's context.
 */
public final class DeliveryVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryVerticle.class);

  private final MessageStore messages;
  private final QueueStore queues;
  private final Attempts attempts;
  private final Later later;
  private final int maxInFlight;
  private final Clock clock;

  private final Set<String> inFlight = new HashSet<>();
  private final Set<String> waitingIds = new HashSet<>();
  private final ArrayDeque<Message> waiting = new ArrayDeque<>();
  private final Map<String, QueueDispatcher> dispatchers = new HashMap<>();

  /** Where a message goes when its next attempt is in the future (the scheduler, wired in {@code Ferry}). */
  @FunctionalInterface
  public interface Later {
    void at(long dueAt, String messageId);
  }

  public DeliveryVerticle(MessageStore messages, QueueStore queues, Deliverer deliverer, Later later,
                          int maxInFlight, Clock clock) {
    this(messages, queues, deliverer, later, maxInFlight, clock, DeliveryEvents.NONE);
  }

  public DeliveryVerticle(MessageStore messages, QueueStore queues, Deliverer deliverer, Later later,
                          int maxInFlight, Clock clock, DeliveryEvents events) {
    this.messages = messages;
    this.queues = queues;
    this.attempts = new Attempts(deliverer, new Outcomes(messages, clock), events);
    this.later = later;
    this.maxInFlight = maxInFlight;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }

  /** Unqueued messages that are due now. */
  public void deliver(List<Message> due) {
    context.runOnContext(v -> due.forEach(this::admit));
  }

  /** Messages were stored in this queue. */
  public void queueNudged(String tenant, String queue) {
    context.runOnContext(v -> dispatcher(tenant, queue).nudged());
  }

  /** The queue's definition changed (or Ferry started and the queue may hold messages). */
  public void queueChanged(String tenant, String queue) {
    context.runOnContext(v -> dispatcher(tenant, queue).configChanged());
  }

  private QueueDispatcher dispatcher(String tenant, String queue) {
    return dispatchers.computeIfAbsent(tenant + '\0' + queue, k -> {
      QueueDispatcher d = new QueueDispatcher(tenant, queue, vertx, context, messages, queues, attempts, clock);
      d.configChanged();
      return d;
    });
  }

  private void admit(Message m) {
    if (inFlight.contains(m.id()) || waitingIds.contains(m.id())) return;  // a duplicate nudge or horizon row
    if (inFlight.size() < maxInFlight) {
      start(m);
    } else {
      waiting.add(m);
      waitingIds.add(m.id());
    }
  }

  private void start(Message m) {
    inFlight.add(m.id());
    attempts.run(context, m).onComplete(ar -> {
      inFlight.remove(m.id());
      if (ar.failed()) {
        LOG.error("message {}: recording its outcome failed; it stays pending and is tried again in 1s", m.id(),
            ar.cause());
        later.at(clock.millis() + 1000, m.id());
      } else {
        ar.result().ifPresent(this::retry);
      }
      next();
    });
  }

  private void retry(Message m) {
    if (m.dueAt() <= clock.millis()) {
      admit(m);
    } else {
      later.at(m.dueAt(), m.id());
    }
  }

  private void next() {
    while (inFlight.size() < maxInFlight && !waiting.isEmpty()) {
      Message m = waiting.poll();
      waitingIds.remove(m.id());
      start(m);
    }
  }

  /** For tests and metrics: attempts running now plus messages waiting for a slot. */
  int load() {
    return inFlight.size() + waiting.size();
  }

  Optional<QueueDispatcher> dispatcherOf(String tenant, String queue) {
    return Optional.ofNullable(dispatchers.get(tenant + '\0' + queue));
  }
}
