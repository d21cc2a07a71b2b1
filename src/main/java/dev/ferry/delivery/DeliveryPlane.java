package dev.ferry.delivery;

import dev.ferry.model.Message;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The front door of delivery: routes stored messages to their partition — unqueued ones by message id (so duplicate
 * nudges meet on one event loop), queued ones by queue, so each queue's order and parallelism live on one thread —
 * and hands future ones to the scheduler. Thread-safe.
 */
public final class DeliveryPlane {
  private final List<DeliveryVerticle> partitions;
  private final DeliveryVerticle.Later later;
  private final Clock clock;

  public DeliveryPlane(List<DeliveryVerticle> partitions, DeliveryVerticle.Later later, Clock clock) {
    this.partitions = List.copyOf(partitions);
    this.later = later;
    this.clock = clock;
  }

  /** Newly stored messages (the ingest nudge). */
  public void stored(List<Message> stored) {
    long now = clock.millis();
    List<List<Message>> due = perPartition();
    Set<String> nudgedQueues = new LinkedHashSet<>();
    for (Message m : stored) {
      if (m.queued()) {
        if (nudgedQueues.add(m.tenant() + '\0' + m.queueName())) {
          queuePartition(m.tenant(), m.queueName()).queueNudged(m.tenant(), m.queueName());
        }
      } else if (m.dueAt() <= now) {
        due.get(partitionOf(m.id())).add(m);
      } else {
        later.at(m.dueAt(), m.id());
      }
    }
    deliver(due);
  }

  /** Unqueued messages the scheduler found due. */
  public void due(List<Message> messages) {
    List<List<Message>> due = perPartition();
    messages.forEach(m -> due.get(partitionOf(m.id())).add(m));
    deliver(due);
  }

  public void queueChanged(String tenant, String queue) {
    queuePartition(tenant, queue).queueChanged(tenant, queue);
  }

  private void deliver(List<List<Message>> due) {
    for (int i = 0; i < due.size(); i++) {
      if (!due.get(i).isEmpty()) partitions.get(i).deliver(due.get(i));
    }
  }

  private List<List<Message>> perPartition() {
    List<List<Message>> lists = new ArrayList<>(partitions.size());
    for (int i = 0; i < partitions.size(); i++) lists.add(new ArrayList<>());
    return lists;
  }

  private DeliveryVerticle queuePartition(String tenant, String queue) {
    return partitions.get(partitionOf(tenant + '\0' + queue));
  }

  private int partitionOf(String key) {
    return Math.floorMod(key.hashCode(), partitions.size());
  }
}
