package dev.ferry;

import dev.ferry.cron.CronVerticle;
import dev.ferry.delivery.DeliveryPlane;
import dev.ferry.lifecycle.Cancellations;
import dev.ferry.model.DueEntry;
import dev.ferry.schedule.SchedulerVerticle;
import dev.ferry.store.OwnerNudges;
import java.util.List;

/**
 * Where the nudges of other processes sharing the store go (see {@link OwnerNudges}): messages
 * stored elsewhere to the scheduler or their queue's dispatcher, cancels to the cancelled set,
 * queue and schedule changes to delivery and cron. Each of those checks ownership itself.
 */
record Nudging(
    SchedulerVerticle scheduler,
    DeliveryPlane plane,
    CronVerticle cron,
    Cancellations cancellations)
    implements OwnerNudges.Receiver {

  @Override
  public void due(List<DueEntry> entries) {
    scheduler.schedule(entries);
  }

  @Override
  public void queueNudged(String tenant, String queue) {
    plane.queueNudged(tenant, queue);
  }

  @Override
  public void cancelled(String messageId) {
    cancellations.heard(messageId);
  }

  @Override
  public void queueChanged(String tenant, String queue) {
    plane.queueChanged(tenant, queue);
  }

  @Override
  public void scheduleChanged(String tenant, String scheduleId) {
    cron.changed(tenant, scheduleId);
  }
}
