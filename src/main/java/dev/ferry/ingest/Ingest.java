package dev.ferry.ingest;

import dev.ferry.config.FerryConfig;
import dev.ferry.error.ApiException;
import dev.ferry.model.Endpoint;
import dev.ferry.model.Message;
import dev.ferry.model.Queue;
import dev.ferry.model.UrlGroup;
import dev.ferry.store.MessageIds;
import dev.ferry.store.MessageStore;
import dev.ferry.store.QueueStore;
import dev.ferry.store.UrlGroupStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one way into the store: fans URL-group publishes out to one message per endpoint, creates
 * queues on first use, assigns ids and appends everything of one request atomically; then nudges
 * delivery. Thread-safe; called from the API event loops.
 */
public final class Ingest {
  private final MessageStore messages;
  private final QueueStore queues;
  private final UrlGroupStore groups;
  private final Nudge nudge;
  private final FerryConfig.Limits limits;
  private final Clock clock;
  private final MessageIds ids;

  public Ingest(
      MessageStore messages,
      QueueStore queues,
      UrlGroupStore groups,
      Nudge nudge,
      FerryConfig.Limits limits,
      Clock clock) {
    this(messages, queues, groups, nudge, limits, clock, MessageIds.AS_MINTED);
  }

  /**
   * @param ids how the store wants new message ids ({@code Stores.messageIds()})
   */
  public Ingest(
      MessageStore messages,
      QueueStore queues,
      UrlGroupStore groups,
      Nudge nudge,
      FerryConfig.Limits limits,
      Clock clock,
      MessageIds ids) {
    this.ids = ids;
    this.messages = messages;
    this.queues = queues;
    this.groups = groups;
    this.nudge = nudge;
    this.limits = limits;
    this.clock = clock;
  }

  /**
   * Publishes one command; fails with {@link ApiException} (unknown group, queue limit) storing
   * nothing.
   */
  public Future<Published> publish(PublishCommand command) {
    return publishAll(List.of(command))
        .compose(
            results -> {
              Outcome outcome = results.get(0);
              return outcome.error() != null
                  ? Future.failedFuture(outcome.error())
                  : Future.succeededFuture(outcome.published());
            });
  }

  /**
   * Publishes a batch: each command is resolved on its own (an unknown group fails that entry
   * only), then all resolved messages are appended in one atomic, synced write. Results are
   * positional.
   */
  public Future<List<Outcome>> publishAll(List<PublishCommand> commands) {
    List<Future<Resolved>> resolved = new ArrayList<>(commands.size());
    Map<String, Future<Void>> ensuredQueues = new HashMap<>();
    for (PublishCommand command : commands) {
      resolved.add(resolve(command, ensuredQueues));
    }
    for (Future<Resolved> r : resolved) {
      if (!r.isComplete()) return Future.join(resolved).transform(ignored -> store(resolved));
    }
    // The usual case (URL destinations, known queues): every command resolved at once, and joining
    // a hundred
    // completed futures would cost more than storing them does.
    try {
      return store(resolved);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Produces a schedule's tick like a publish (fan-out, queue creation on first use, ids), but
   * stores the messages with {@code store} — the schedule store records the tick in the same atomic
   * write — and nudges delivery only when {@code store} answers that it stored them (a present
   * result).
   */
  public <T> Future<Optional<T>> publishWith(
      PublishCommand command, Function<List<Message>, Future<Optional<T>>> store) {
    return resolve(command, new HashMap<>())
        .compose(
            r ->
                store
                    .apply(r.messages())
                    .map(
                        result -> {
                          if (result.isPresent()) nudge.stored(r.messages());
                          return result;
                        }));
  }

  /**
   * Stores messages the system produced itself (callbacks and failure callbacks, built complete
   * with ids by delivery) in one atomic synced write, then nudges delivery. No fan-out, dedup or
   * queue: they are sent as they are.
   */
  public Future<Void> publishProduced(List<Message> produced) {
    return messages
        .append(produced)
        .map(
            v -> {
              nudge.stored(produced);
              return null;
            });
  }

  private Future<List<Outcome>> store(List<Future<Resolved>> resolved) {
    List<Message> all = new ArrayList<>();
    List<String> dedupKeys =
        null; // positional with all; only built when some command has a dedup id
    for (Future<Resolved> f : resolved) {
      if (f.failed()) continue;
      Resolved r = f.result();
      if (r.deduplicationId() != null && dedupKeys == null) {
        dedupKeys = new ArrayList<>(Collections.nCopies(all.size(), null));
      }
      for (Message m : r.messages()) {
        all.add(m);
        if (dedupKeys != null) dedupKeys.add(dedupKey(r, m));
      }
    }
    if (all.isEmpty()) return Future.succeededFuture(outcomes(resolved, null));
    if (dedupKeys == null) {
      List<Outcome> outcomes =
          outcomes(resolved, null); // built before the write, as the hot path always did
      return messages
          .append(all)
          .map(
              v -> {
                nudge.stored(all);
                return outcomes;
              });
    }
    long now = clock.millis();
    return messages
        .appendDeduplicated(all, dedupKeys, now, now + limits.dedupWindow().toMillis())
        .map(
            originals -> {
              List<Message> stored = new ArrayList<>(all.size());
              for (int i = 0; i < all.size(); i++) {
                if (originals.get(i) == null) stored.add(all.get(i));
              }
              if (!stored.isEmpty()) nudge.stored(stored);
              return outcomes(resolved, originals);
            });
  }

  /**
   * The key a message is deduplicated by: the publish's dedup id, or for a URL-group message that
   * id joined with the endpoint's URL, so each endpoint is deduplicated on its own (QStash reports
   * {@code deduplicated} per endpoint).
   */
  private static String dedupKey(Resolved r, Message m) {
    if (r.deduplicationId() == null) return null;
    return r.fanOut() ? fanOutDedupKey(r.deduplicationId(), m.url()) : r.deduplicationId();
  }

  private static String fanOutDedupKey(String deduplicationId, String url) {
    return deduplicationId + '\0' + url;
  }

  /**
   * One outcome per command; {@code originals} (positional over all messages, or null) marks the
   * duplicates.
   */
  private static List<Outcome> outcomes(List<Future<Resolved>> resolved, List<String> originals) {
    List<Outcome> outcomes = new ArrayList<>(resolved.size());
    int at = 0;
    for (Future<Resolved> f : resolved) {
      if (f.failed()) {
        outcomes.add(new Outcome(null, f.cause()));
        continue;
      }
      Resolved r = f.result();
      List<Published.Item> items = new ArrayList<>(r.messages().size());
      for (Message m : r.messages()) {
        String original = originals == null ? null : originals.get(at);
        at++;
        items.add(
            original == null
                ? new Published.Item(m.id(), m.url(), false)
                : new Published.Item(original, m.url(), true));
      }
      outcomes.add(new Outcome(new Published(r.fanOut(), items), null));
    }
    return outcomes;
  }

  private Future<Resolved> resolve(
      PublishCommand command, Map<String, Future<Void>> ensuredQueues) {
    Future<Void> queueReady =
        command.queueName() == null
            ? Future.succeededFuture()
            : ensuredQueues.computeIfAbsent(
                command.queueName(), name -> ensureQueue(command.tenant(), name));
    if (command.url() != null) {
      return queueReady.map(
          v ->
              new Resolved(
                  false,
                  List.of(toMessage(command, command.url(), null, null)),
                  command.deduplicationId()));
    }
    return queueReady
        .compose(v -> groups.get(command.tenant(), command.urlGroup()))
        .compose(
            group -> {
              if (group.isEmpty() || group.get().endpoints().isEmpty()) {
                return Future.failedFuture(
                    ApiException.notFound("url group " + command.urlGroup() + " not found"));
              }
              UrlGroup g = group.get();
              List<Message> fanned = new ArrayList<>(g.endpoints().size());
              for (Endpoint e : g.endpoints()) {
                fanned.add(toMessage(command, e.url(), g.name(), e.name()));
              }
              return Future.succeededFuture(new Resolved(true, fanned, command.deduplicationId()));
            });
  }

  /**
   * Queues are created on first use with parallelism 1, as QStash does; the per-tenant queue limit
   * still applies.
   */
  private Future<Void> ensureQueue(String tenant, String name) {
    return queues
        .get(tenant, name)
        .compose(
            existing -> {
              if (existing.isPresent()) return Future.succeededFuture();
              return queues
                  .list(tenant)
                  .compose(
                      all -> {
                        if (all.size() >= limits.maxQueues()) {
                          return Future.failedFuture(
                              ApiException.limitReached(
                                  "queue_limit",
                                  "queue limit reached: at most "
                                      + limits.maxQueues()
                                      + " queues"));
                        }
                        long now = clock.millis();
                        return queues.put(new Queue(tenant, name, 1, false, now, now));
                      });
            });
  }

  /**
   * An unqueued message's id holds its due time, which spares the embedded store a due row. A
   * queued message's id sorts by creation, its queue's FIFO order; one with a delay (only a
   * schedule's tick makes one: enqueue refuses delays) sorts at its due time, so it joins its
   * queue's FIFO order when it becomes due, and the queue's dispatcher does not start it before
   * then.
   */
  private Message toMessage(PublishCommand c, String url, String topic, String endpointName) {
    long now = clock.millis();
    long due = Math.max(now, c.notBefore());
    String minted =
        c.queueName() == null
            ? Ids.newMessageIdDueAt(due, now)
            : due > now ? Ids.newMessageIdSortingIn(due - now) : Ids.newMessageId();
    String dedupKey =
        c.deduplicationId() == null
            ? null
            : topic != null ? fanOutDedupKey(c.deduplicationId(), url) : c.deduplicationId();
    String id =
        ids.complete(
            minted,
            new MessageIds.Placement(
                c.tenant(),
                c.queueName(),
                c.flowControl() == null ? null : c.flowControl().key(),
                c.scheduleId(),
                dedupKey));
    return new Message(
        id,
        c.tenant(),
        url,
        topic,
        endpointName,
        c.queueName(),
        c.method(),
        c.headers(),
        c.body(),
        c.maxRetries(),
        c.retryDelayExpression(),
        c.timeoutMillis(),
        c.notBefore(),
        now,
        c.callerIp(),
        c.labels(),
        0,
        due,
        c.scheduleId(),
        c.callback(),
        c.failureCallback(),
        c.flowControl(),
        c.redactFields());
  }

  private record Resolved(boolean fanOut, List<Message> messages, String deduplicationId) {}

  /** The result of one command: {@code published} or {@code error}. */
  public record Outcome(Published published, Throwable error) {
    public Optional<Published> ok() {
      return Optional.ofNullable(published);
    }
  }
}
