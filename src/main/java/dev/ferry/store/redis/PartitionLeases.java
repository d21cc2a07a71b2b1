package dev.ferry.store.redis;

import dev.ferry.store.PartitionOwnership;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.PooledRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's share of the partitions: membership, leases and their fencing values, kept in
 * Redis (see {@code docs/architecture.md}, "Several replicas").
 *
 * <p>Every {@code lease / 5} the replica renews its membership (a sorted set scored by expiry in
 * Redis time), reads the live members, and works out from them who should own each partition
 * ({@link Rendezvous#assign}). It renews the leases it holds and should keep, takes the free ones
 * it should own, and hands over those another live replica should own: it stops starting work on
 * them, lets the attempts in flight end ({@link PartitionOwnership.Listener#releasing}, bounded by
 * {@link #drainLimit}), then frees the lease so the new owner takes it at its next round. A replica
 * that dies stops renewing: its membership and leases expire after {@code lease}, and the others
 * take its partitions within one more round.
 *
 * <p>A replica cut off from Redis must stop before another can take over. It counts each lease from
 * the moment it <em>sent</em> the renewal that Redis last confirmed, minus one round for safety;
 * since Redis can only have set the expiry after that moment, the replica's own deadline passes
 * before the lease can expire in Redis (clocks need only tick at the same rate, not agree). Past
 * its deadline a partition is neither owned ({@link #owns}) nor fenced ({@link #fence}), whatever
 * Redis says.
 *
 * <p>State changes run on one Vert.x context; {@link #owns} and {@link #fence} are read from any
 * thread.
 */
final class PartitionLeases {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionLeases.class);

  private final Vertx vertx;
  private final Redis redis;
  private final RedisKeys keys;
  private final int partitions;
  private final String replicaId;
  private final long leaseMillis;
  private final long roundMillis;
  private final Duration drainLimit;
  private final List<PartitionOwnership.Listener> listeners = new CopyOnWriteArrayList<>();

  /** The lease value held per partition, or null. Kept while handing over, for fenced writes. */
  private final AtomicReferenceArray<String> held;

  /** System.nanoTime after which a held lease counts as lost (see the class comment). */
  private final AtomicLongArray deadlines;

  /** Partitions being handed over: fenced writes still go through, new work does not start. */
  private final AtomicReferenceArray<Boolean> releasing;

  private Context context;
  private Future<RedisConnection> connection;
  private long timer = -1;
  private boolean inRound;
  private boolean stopped;
  private volatile List<String> members = List.of();

  /** Who should own each partition, from the members of the last round (null: nobody known). */
  private volatile String[] assigned;

  private boolean reachable = true;

  /**
   * @param lease how long a lease lasts without renewal: the longest a dead replica's partitions
   *     wait for a new owner
   * @param drainLimit how long a handover waits for attempts in flight
   */
  PartitionLeases(
      Vertx vertx,
      Redis redis,
      RedisKeys keys,
      int partitions,
      String replicaId,
      Duration lease,
      Duration drainLimit) {
    this.vertx = vertx;
    this.redis = redis;
    this.keys = keys;
    this.partitions = partitions;
    this.replicaId = replicaId;
    this.leaseMillis = lease.toMillis();
    this.roundMillis = Math.max(50, leaseMillis / 5);
    this.drainLimit = drainLimit;
    this.held = new AtomicReferenceArray<>(partitions);
    this.deadlines = new AtomicLongArray(partitions);
    this.releasing = new AtomicReferenceArray<>(partitions);
  }

  public String replicaId() {
    return replicaId;
  }

  public int partitions() {
    return partitions;
  }

  /** Live replica ids as of the last round. */
  public List<String> members() {
    return members;
  }

  /**
   * The replica that should own the partition as of the last round (it may not hold the lease yet),
   * or null before the first round.
   */
  public String expectedOwner(int partition) {
    String[] owners = assigned;
    return owners == null ? null : owners[partition];
  }

  /** How often leases are renewed and the assignment is computed again. */
  long roundMillis() {
    return roundMillis;
  }

  public void listen(PartitionOwnership.Listener listener) {
    listeners.add(listener);
  }

  /** May this replica start work on the partition now? */
  public boolean owns(int partition) {
    return fence(partition) != null && releasing.get(partition) == null;
  }

  /**
   * The lease value that this replica's writes in the partition must carry, or null when it holds
   * no live lease there (the store then refuses the write).
   */
  public String fence(int partition) {
    String value = held.get(partition);
    if (value == null || System.nanoTime() - deadlines.get(partition) >= 0) return null;
    return value;
  }

  /** How many partitions this replica may start work on. */
  public int ownedCount() {
    int n = 0;
    for (int p = 0; p < partitions; p++) if (owns(p)) n++;
    return n;
  }

  /** Joins, takes a first share of partitions, and keeps renewing every round. */
  public Future<Void> start() {
    context = vertx.getOrCreateContext();
    // a first round that fails (Redis away) only delays ownership: later rounds take partitions
    return Future.<Void>future(
            p -> context.runOnContext(v -> round().onComplete(r -> p.complete())))
        .onComplete(
            r -> timer = vertx.setPeriodic(roundMillis, id -> context.runOnContext(v -> round())));
  }

  /**
   * Hands every partition over: new work stops, attempts in flight end (bounded), the leases are
   * freed and the replica leaves the members, so that the others take over at their next round
   * rather than after the lease.
   */
  public Future<Void> stop() {
    if (context == null) return Future.succeededFuture();
    return Future.future(
        p ->
            context.runOnContext(
                v -> {
                  stopped = true;
                  if (timer >= 0) vertx.cancelTimer(timer);
                  List<Integer> all = new ArrayList<>();
                  for (int i = 0; i < partitions; i++) if (held.get(i) != null) all.add(i);
                  handOver(all)
                      .compose(
                          ignored ->
                              send(
                                  LeaseScripts.members(
                                      keys.members(), replicaId, leaseMillis, false)))
                      .<Void>mapEmpty()
                      .recover(e -> Future.succeededFuture()) // leases expire by themselves
                      .eventually(this::closeConnection)
                      .onComplete(p);
                }));
  }

  /** One round: membership, then renew, take and hand over. Never two at once. */
  private Future<Void> round() {
    if (inRound || stopped) return Future.succeededFuture();
    inRound = true;
    dropExpired();
    long sent = System.nanoTime();
    return send(LeaseScripts.members(keys.members(), replicaId, leaseMillis, true))
        .compose(
            r -> {
              List<String> live = new ArrayList<>(r.size());
              for (Response member : r) live.add(member.toString());
              members = List.copyOf(live);
              return leases(live, sent);
            })
        .onComplete(
            r -> {
              inRound = false;
              reachability(r.succeeded(), r.cause());
            });
  }

  private Future<Void> leases(List<String> live, long sent) {
    List<Future<?>> calls = new ArrayList<>();
    List<Integer> toHandOver = new ArrayList<>();
    boolean[] gained = new boolean[1];
    String[] owners = Rendezvous.assign(live, partitions);
    assigned = owners;
    for (int p = 0; p < partitions; p++) {
      int partition = p;
      String value = held.get(p);
      boolean mine = replicaId.equals(owners[p]);
      if (value != null && !mine) {
        if (releasing.get(p) == null) toHandOver.add(p);
        calls.add(renew(partition, value, sent)); // keep it while the attempts in flight end
      } else if (value != null) {
        calls.add(renew(partition, value, sent));
      } else if (mine) {
        calls.add(
            send(LeaseScripts.acquire(keys.lease(p), keys.fence(p), replicaId, leaseMillis))
                .onSuccess(
                    r -> {
                      String holder = r.toString();
                      if (holder.startsWith(replicaId + ":") && !stopped) {
                        deadlines.set(partition, sent + deadlineNanos());
                        held.set(partition, holder);
                        gained[0] = true;
                      }
                    }));
      }
    }
    if (!toHandOver.isEmpty()) handOver(toHandOver); // runs across rounds; renewals go on meanwhile
    return Future.join(calls)
        .<Void>mapEmpty()
        .onComplete(
            r -> {
              if (gained[0]) listeners.forEach(PartitionOwnership.Listener::gained);
            });
  }

  private Future<?> renew(int partition, String value, long sent) {
    return send(LeaseScripts.renew(keys.lease(partition), value, leaseMillis))
        .onSuccess(
            r -> {
              if (r.toInteger() == 1) {
                if (value.equals(held.get(partition)))
                  deadlines.set(partition, sent + deadlineNanos());
              } else if (held.compareAndSet(partition, value, null)) {
                releasing.set(partition, null);
                LOG.warn("partition {}: its lease passed to another replica", partition);
                listeners.forEach(PartitionOwnership.Listener::lost);
              }
            });
  }

  /**
   * Stops new work on the partitions, waits (bounded) for attempts in flight, then frees the leases
   * that still hold this replica's value.
   */
  private Future<Void> handOver(List<Integer> parts) {
    if (parts.isEmpty()) return Future.succeededFuture();
    parts.forEach(p -> releasing.set(p, Boolean.TRUE));
    List<Future<Void>> drains = new ArrayList<>();
    listeners.forEach(l -> drains.add(l.releasing()));
    Future<Void> drained =
        Future.join(drains)
            .<Void>mapEmpty()
            .timeout(drainLimit.toMillis(), TimeUnit.MILLISECONDS)
            .recover(e -> Future.succeededFuture());
    return drained.compose(
        v -> {
          List<Future<?>> frees = new ArrayList<>();
          for (int p : parts) {
            String value = held.getAndSet(p, null);
            releasing.set(p, null);
            if (value != null) frees.add(send(LeaseScripts.release(keys.lease(p), value)));
          }
          LOG.info("handed over partitions {}", parts);
          return Future.join(frees).<Void>mapEmpty().recover(e -> Future.succeededFuture());
        });
  }

  /** Forgets leases whose deadline passed without a confirmed renewal (cut off from Redis). */
  private void dropExpired() {
    boolean lost = false;
    long now = System.nanoTime();
    for (int p = 0; p < partitions; p++) {
      String value = held.get(p);
      if (value != null && now - deadlines.get(p) >= 0 && held.compareAndSet(p, value, null)) {
        releasing.set(p, null);
        lost = true;
      }
    }
    if (lost) {
      LOG.warn("leases ran out without a confirmed renewal: this replica stopped delivering them");
      listeners.forEach(PartitionOwnership.Listener::lost);
    }
  }

  /**
   * Sends on this replica's own connection: a round is one pipelined burst (one request per
   * partition) that a pooled client would spread over many connections or refuse. On Cluster the
   * connection routes each request to its slot's node.
   */
  private Future<Response> send(Request request) {
    if (connection == null) {
      connection =
          redis
              .connect()
              .onSuccess(
                  c -> {
                    Runnable forget = () -> connection = null;
                    c.exceptionHandler(e -> forget.run());
                    c.endHandler(v -> forget.run());
                  })
              .onFailure(e -> connection = null);
    }
    Future<RedisConnection> current = connection;
    return current
        .compose(c -> c.send(request))
        .timeout(leaseMillis, TimeUnit.MILLISECONDS)
        .onFailure(
            e -> {
              // no answer within a lease, or the connection failed: a network path that died
              // without a reset would hang it for as long as TCP takes to notice (many minutes),
              // so the next round connects anew
              if (!(e instanceof Response)) drop(current);
            });
  }

  /**
   * Forgets a connection that failed or hangs and closes its socket. Closing a pooled connection
   * only returns it to the pool, which would hand the hung socket out again: on one Redis the
   * socket itself is closed (through the client's connection internals, as its API has no other
   * way); on Sentinel and Cluster it goes back to the pool.
   */
  private void drop(Future<RedisConnection> stale) {
    if (connection != stale) return; // dropped already, by an earlier request of the same round
    connection = null;
    stale.onSuccess(
        c -> {
          if (c instanceof PooledRedisConnection pooled) pooled.actual().forceClose();
          else c.close();
        });
  }

  private Future<Void> closeConnection() {
    Future<RedisConnection> c = connection;
    connection = null;
    return c == null
        ? Future.succeededFuture()
        : c.compose(RedisConnection::close).recover(e -> Future.succeededFuture());
  }

  private long deadlineNanos() {
    return TimeUnit.MILLISECONDS.toNanos(leaseMillis - roundMillis);
  }

  private void reachability(boolean ok, Throwable e) {
    if (ok != reachable) {
      if (ok) LOG.info("partition leases: Redis answers again");
      else LOG.warn("partition leases: Redis does not answer ({})", e.getMessage());
    }
    reachable = ok;
  }
}
