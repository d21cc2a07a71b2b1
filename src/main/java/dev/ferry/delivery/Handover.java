package dev.ferry.delivery;

import dev.ferry.store.FlowControlStore;
import dev.ferry.store.PartitionOwnership;
import dev.ferry.store.QueueStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery's side of partitions moving between processes (see {@link PartitionOwnership}). Gained:
 * the queues are listed again and the dispatchers of those now owned start from the store (due
 * unqueued messages are the scheduler's to find), and the stored pauses and pins of the
 * flow-control keys now owned are read again (another process may have changed them since this one
 * started). Releasing: copies of messages no longer owned are dropped, the dispatchers of queues no
 * longer owned stop, and the handover waits until the attempts of messages no longer owned have
 * ended. Lost: the same, without waiting (the store refuses their outcomes). While ownership is
 * shared, every {@link #RESYNC_MILLIS} the queues are listed again as well, so that a queue change
 * whose nudge was lost still takes effect.
 */
public final class Handover implements PartitionOwnership.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(Handover.class);
  static final long RESYNC_MILLIS = 5_000;

  private final Vertx vertx;
  private final DeliveryPlane plane;
  private final QueueStore queues;
  private final FlowControlStore flowControl;
  private final DeliveryDrain drain;
  private final PartitionOwnership ownership;

  public Handover(
      Vertx vertx,
      DeliveryPlane plane,
      QueueStore queues,
      FlowControlStore flowControl,
      DeliveryDrain drain,
      PartitionOwnership ownership) {
    this.vertx = vertx;
    this.plane = plane;
    this.queues = queues;
    this.flowControl = flowControl;
    this.drain = drain;
    this.ownership = ownership;
  }

  /** Listens for changes of ownership; resyncs queues periodically while ownership is shared. */
  public void start() {
    ownership.listen(this);
    if (ownership.shared()) vertx.setPeriodic(RESYNC_MILLIS, t -> resumeOwnedQueues());
  }

  @Override
  public void gained() {
    resumeOwnedQueues();
    restoreOwnedFlowControl();
  }

  @Override
  public Future<Void> releasing() {
    plane.partitions().forEach(DeliveryVerticle::dropNotOwned);
    return drain.whenNoneRunning(vertx, m -> !Attempts.owns(ownership, m));
  }

  @Override
  public void lost() {
    plane.partitions().forEach(DeliveryVerticle::dropNotOwned);
  }

  private void restoreOwnedFlowControl() {
    flowControl
        .listAll()
        .onSuccess(
            all ->
                plane.restoreFlowControl(
                    all.stream()
                        .filter(s -> ownership.ownsFlowControlKey(s.tenant(), s.key()))
                        .toList()))
        .onFailure(
            e ->
                LOG.warn("cannot read the flow-control settings of gained keys: {}", e.toString()));
  }

  private void resumeOwnedQueues() {
    queues
        .listAll()
        .onSuccess(
            all ->
                all.forEach(
                    q -> {
                      if (ownership.ownsQueue(q.tenant(), q.name()))
                        plane.queueChanged(q.tenant(), q.name());
                    }))
        .onFailure(e -> LOG.warn("cannot list the queues to resume owned ones: {}", e.toString()));
  }
}
