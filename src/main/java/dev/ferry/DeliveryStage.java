package dev.ferry;

import dev.ferry.config.FerryConfig;
import dev.ferry.delivery.AttemptDeadlines;
import dev.ferry.delivery.AttemptShaper;
import dev.ferry.delivery.Deliverer;
import dev.ferry.delivery.DeliveryDrain;
import dev.ferry.delivery.DeliveryEvents;
import dev.ferry.delivery.DeliveryPlane;
import dev.ferry.delivery.DeliveryVerticle;
import dev.ferry.delivery.Endings;
import dev.ferry.delivery.Handover;
import dev.ferry.delivery.Transitions;
import dev.ferry.delivery.callback.Callbacks;
import dev.ferry.delivery.flow.FlowControlBounds;
import dev.ferry.delivery.flow.GlobalParallelism;
import dev.ferry.delivery.hosts.HostShares;
import dev.ferry.delivery.hosts.Unparking;
import dev.ferry.delivery.signing.Signer;
import dev.ferry.egress.AddressPolicy;
import dev.ferry.egress.DestinationGuard;
import dev.ferry.egress.VertxHostResolver;
import dev.ferry.ingest.Ids;
import dev.ferry.schedule.SchedulerVerticle;
import dev.ferry.store.KeyRing;
import dev.ferry.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery as {@link Ferry} wires it: the partitions, the plane in front of them, the host shares
 * and what restarts parked messages. Upstream, the scheduler takes what is not due yet ({@code
 * later}) and is woken when capacity frees up ({@code wake}); {@link #forScheduler} and {@link
 * #callbacks} are what the scheduler and ingest are connected to once they exist.
 */
record DeliveryStage(
    DeliveryPlane plane,
    HostShares shares,
    GlobalParallelism global,
    Callbacks callbacks,
    DeliveryDrain drain) {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryStage.class);

  /**
   * The attempt maker shared by every partition: signs, guards destinations, keeps attempt
   * deadlines.
   */
  static Deliverer deliverer(
      Vertx vertx,
      FerryConfig config,
      HttpClient client,
      AttemptDeadlines deadlines,
      KeyRing keys,
      Clock clock,
      AttemptShaper shaper) {
    DestinationGuard guard =
        new DestinationGuard(AddressPolicy.of(config.destinations()), new VertxHostResolver(vertx));
    if (config.destinations().dangerouslyAllowMetadata()) {
      LOG.warn(
          "destinations.dangerouslyAllowMetadata is true: destinations may reach cloud-metadata and link-local "
              + "addresses (169.254.169.254, fd00:ec2::254, fe80::/10); "
              + "anyone who can publish can read instance credentials");
    }
    return new Deliverer(
        vertx,
        client,
        deadlines,
        new Signer(Ids::newJwtId),
        keys,
        config.delivery(),
        clock,
        guard,
        shaper);
  }

  /**
   * @param endings how messages that end for good leave the store (the workflow runs' way, which
   *     fails a run with its step)
   */
  static DeliveryStage build(
      Vertx vertx,
      FerryConfig config,
      Stores stores,
      Endings endings,
      Deliverer deliverer,
      DeliveryVerticle.Later later,
      Runnable wake,
      DeliveryEvents events,
      Transitions transitions,
      Clock clock) {
    FerryConfig.Delivery d = config.delivery();
    int partitions = Ferry.instances(d.instances());
    int slots = partitions * d.maxInFlight();
    HostShares shares = new HostShares(slots, config.isolation().hostSharePercent());
    GlobalParallelism global = new GlobalParallelism(d.globalParallelism());
    Callbacks callbacks = new Callbacks(clock, stores.messageIds());
    DeliveryDrain drain = new DeliveryDrain();
    DeliveryVerticle.Collaborators shared =
        new DeliveryVerticle.Collaborators(
            stores.messages(),
            stores.queues(),
            deliverer,
            later,
            d.maxInFlight(),
            clock,
            events,
            callbacks,
            global,
            stores.flowControl(),
            transitions,
            flowControlBounds(config, partitions),
            shares,
            drain,
            stores.ownership(),
            endings);
    DeliveryPlane plane =
        new DeliveryPlane(
            partitions,
            finished -> new DeliveryVerticle(shared, finished),
            later,
            wake,
            slots,
            config.overload().deliveryBytesBudget(),
            shares,
            clock,
            stores.ownership());
    shares.onResume(
        new Unparking(
            stores.messages(),
            plane::resume,
            shares,
            later::at,
            clock,
            vertx.getOrCreateContext()));
    return new DeliveryStage(plane, shares, global, callbacks, drain);
  }

  /** Where the scheduler hands due messages, and asks how many it may. */
  SchedulerVerticle.Delivery forScheduler() {
    return new SchedulerVerticle.Delivery(plane::due, plane::capacity, shares::parkIfFull);
  }

  /**
   * Deploys every partition, then gives them the stored pauses and pins: the partitions hear of
   * them before the scheduler hands them any message.
   */
  Future<Void> deploy(Vertx vertx, Stores stores, List<String> deployments) {
    Future<Void> deployed = Future.succeededFuture();
    for (DeliveryVerticle p : plane.partitions()) {
      deployed = deployed.compose(v -> vertx.deployVerticle(p).map(deployments::add).mapEmpty());
    }
    return deployed
        .compose(v -> stores.flowControl().listAll())
        .map(
            settings -> {
              plane.restoreFlowControl(settings);
              new Handover(
                      vertx,
                      plane,
                      stores.queues(),
                      stores.flowControl(),
                      drain,
                      stores.ownership())
                  .start();
              return null;
            });
  }

  /**
   * Flow-control waitlists of all partitions hold at most a quarter of the delivery byte budget
   * together. Handed-back messages return within the scheduler's horizon: beyond it, only a store
   * scan would find them.
   */
  private static FlowControlBounds flowControlBounds(FerryConfig config, int partitions) {
    Duration horizon = config.delivery().horizon();
    return new FlowControlBounds(
        config.overload().maxFlowControlWaiting(),
        Math.max(1, config.overload().deliveryBytesBudget() / 4 / partitions),
        config.overload().maxFlowControlKeys(),
        horizon.compareTo(Duration.ofMinutes(1)) < 0 ? horizon : Duration.ofMinutes(1));
  }
}
