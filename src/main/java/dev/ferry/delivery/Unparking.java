package dev.ferry.delivery;

import dev.ferry.model.DueEntry;
import dev.ferry.model.Message;
import dev.ferry.store.MessageStore;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a parked message when its host's slot passes to it ({@link HostShares}): reads it again from the store (only
 * its id was kept while parked) and hands it to the plane. A message that is gone (delivered, cancelled) or was
 * rescheduled meanwhile gives the slot on to the next parked one. Runs on whichever thread answers the store.
 */
public final class Unparking implements HostShares.Resume {
  private static final Logger LOG = LoggerFactory.getLogger(Unparking.class);

  private final MessageStore messages;
  private final DeliveryPlane plane;
  private final HostShares shares;
  private final DeliveryVerticle.Later later;
  private final Clock clock;

  public Unparking(MessageStore messages, DeliveryPlane plane, HostShares shares, DeliveryVerticle.Later later,
                   Clock clock) {
    this.messages = messages;
    this.plane = plane;
    this.shares = shares;
    this.later = later;
    this.clock = clock;
  }

  @Override
  public void resume(String host, DueEntry parked) {
    messages.findAll(List.of(parked.messageId())).onComplete(ar -> {
      if (ar.failed()) {
        // the store's due index still has it; the scheduler tries again in a second
        LOG.error("message {}: cannot read it to resume its delivery; trying again in 1s", parked.messageId(),
            ar.cause());
        later.at(List.of(new DueEntry(clock.millis() + 1000, parked.messageId())));
        shares.release(host);
        return;
      }
      // an entry earlier than the stored due time is stale: the message was rescheduled and has a later entry
      Message m = ar.result().stream().filter(x -> x.dueAt() <= parked.dueAt()).findFirst().orElse(null);
      if (m == null) {
        shares.release(host);
      } else {
        plane.resume(m);
      }
    });
  }
}
