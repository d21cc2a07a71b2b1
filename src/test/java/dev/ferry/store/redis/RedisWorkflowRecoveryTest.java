package dev.ferry.store.redis;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.await;
import static dev.ferry.store.StoreFixtures.dlqEntry;
import static dev.ferry.store.StoreFixtures.message;
import static dev.ferry.store.StoreFixtures.queued;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.RedisConfig;
import dev.ferry.model.Message;
import dev.ferry.model.WorkflowInvoker;
import dev.ferry.model.WorkflowRun;
import dev.ferry.model.WorkflowSettings;
import dev.ferry.model.WorkflowStep;
import dev.ferry.model.WorkflowWaiter;
import dev.ferry.store.StoreMetrics;
import dev.ferry.store.Stores;
import dev.ferry.store.StoresContract;
import dev.ferry.store.WorkflowRunStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What the Redis workflow run store does beyond the contract: a step's messages of other partitions
 * reach them and leave no outbox entry; a crash between a run's script and the copy of its outbox,
 * or between a step's DLQ move and its run's failure, is made up for at start-up; a notify and a
 * timeout racing from two processes end a wait once; expiry takes a run's waiters along. Crashes
 * are reproduced by writing what the first script leaves in Redis.
 */
class RedisWorkflowRecoveryTest extends StoresContract {
  private final RedisConfig config = SharedRedis.freshConfig();
  private final RedisKeys keys = new RedisKeys(config.keyPrefix());
  private final Partitions partitions = new Partitions(config.partitions());

  @Override
  protected Future<Stores> newStores(Vertx vertx) {
    return SharedRedis.open(vertx, config);
  }

  private static WorkflowRun run(String runId) {
    return WorkflowRun.started(
        "acme",
        runId,
        "https://example.com/wf",
        T0,
        new WorkflowSettings(3, null, null, null, List.of(), Map.of()));
  }

  private static WorkflowStep step(Message m) {
    return new WorkflowStep(m.id(), WorkflowStep.STEP, new byte[0]);
  }

  @Test
  void a_steps_message_of_another_partition_is_stored_with_it(Vertx vertx) {
    Stores stores = open(vertx);
    Message trigger = queued("acme", "q");
    assertTrue(partitions.ofId(trigger.id()) != partitions.ofWorkflowRun("acme", "wfr_a"));
    await(stores.workflowRuns().create(run("wfr_a"), step(trigger), List.of(trigger)));
    Message next = queued("acme", "q");
    await(stores.workflowRuns().append("acme", "wfr_a", step(next), List.of(next)));

    assertEquals(2L, await(stores.messages().queueLength("acme", "q")));
    assertEquals(0L, hlen(vertx, keys.workflowOutbox(partitions.ofWorkflowRun("acme", "wfr_a"))));
  }

  @Test
  void messages_stranded_in_the_workflow_outbox_are_stored_at_start_up(Vertx vertx) {
    Stores stores = open(vertx);
    Message trigger = message("acme", T0);
    await(stores.workflowRuns().create(run("wfr_a"), step(trigger), List.of()));
    Message stranded = queued("acme", "q");
    int p = partitions.ofWorkflowRun("acme", "wfr_a");
    send(
        vertx,
        Request.cmd(Command.HSET)
            .arg(keys.workflowOutbox(p))
            .arg(MessageOutbox.field("acme", "wfr_a"))
            .arg(MessageOutbox.encode(List.of(stranded))));

    Stores reopened = reopen(vertx, stores);
    await(reopened.workflowRuns().untoldInvoked());
    assertEquals(1L, await(reopened.messages().queueLength("acme", "q")));
    assertEquals(0L, hlen(vertx, keys.workflowOutbox(p)));
  }

  @Test
  void a_run_whose_failure_was_recorded_but_not_applied_fails_at_start_up(Vertx vertx) {
    Stores stores = open(vertx);
    WorkflowInvoker invoker =
        new WorkflowInvoker("wfr_parent", "https://example.com/p", T0, Map.of(), "{}");
    Message trigger = message("acme", T0);
    await(
        stores
            .workflowRuns()
            .create(run("wfr_child").invokedBy(invoker), step(trigger), List.of(trigger)));
    // the DLQ move's script ran (it recorded the failure), Ferry stopped before the run's
    int mp = partitions.ofId(trigger.id());
    await(stores.messages().moveToDlq(trigger, dlqEntry("1700000000000-1", trigger)));
    send(
        vertx,
        Request.cmd(Command.HSET)
            .arg(keys.workflowFailures(mp))
            .arg(RunFailures.field("acme", "wfr_child", "1700000000000-1"))
            .arg(String.valueOf(T0 + 7)));
    assertTrue(await(stores.workflowRuns().find("acme", "wfr_child")).orElseThrow().active());

    WorkflowRunStore reopened = reopen(vertx, stores).workflowRuns();
    List<WorkflowRun> untold = await(reopened.untoldInvoked());
    assertEquals(List.of("wfr_child"), untold.stream().map(WorkflowRun::runId).toList());
    WorkflowRun failed = untold.get(0);
    assertEquals(WorkflowRun.State.RUN_FAILED, failed.state());
    assertEquals("1700000000000-1", failed.dlqId());
    assertEquals(T0 + 7, failed.endedAt());
    assertEquals(0L, hlen(vertx, keys.workflowFailures(mp)));
  }

  @Test
  void a_notify_and_a_timeout_racing_from_two_processes_end_the_wait_once(Vertx vertx) {
    Stores one = open(vertx);
    Stores other = open(vertx);
    for (int i = 0; i < 20; i++) {
      String runId = "wfr_" + i;
      await(one.workflowRuns().create(run(runId), step(message("acme", T0)), List.of()));
      WorkflowWaiter w = waiter(runId, "evt");
      assertTrue(await(one.workflowRuns().addWaiter(w)));
      Message notified = message("acme", T0);
      Message timedOut = message("acme", T0);
      Future<Boolean> a = one.workflowRuns().resolveWaiter(w, step(notified), List.of(notified));
      Future<Boolean> b = other.workflowRuns().resolveWaiter(w, step(timedOut), List.of(timedOut));
      assertEquals(1, (await(a) ? 1 : 0) + (await(b) ? 1 : 0), runId);
      assertEquals(2, await(one.workflowRuns().steps("acme", runId)).size());
      assertEquals(1, await(one.messages().findAll(List.of(notified.id(), timedOut.id()))).size());
    }
    assertEquals(List.of(), await(one.workflowRuns().waiters("acme", "evt")));
    assertEquals(List.of(), await(one.workflowRuns().allWaiters()));
  }

  @Test
  void an_expired_run_takes_its_waiters_and_kept_calls_along(Vertx vertx) {
    Stores stores = open(vertx);
    WorkflowRunStore runs = stores.workflowRuns();
    await(runs.create(run("wfr_a"), step(message("acme", T0)), List.of()));
    await(runs.addWaiter(waiter("wfr_a", "evt")));
    assertTrue(await(runs.keepHookCall("acme", "wfr_a", "hook", new byte[] {1})));
    await(runs.end("acme", "wfr_a", WorkflowRun.State.RUN_CANCELED, null, T0 + 1));
    assertEquals(1, await(runs.waiters("acme", "evt")).size(), "an ended run's waiter stays");

    assertEquals(1, await(runs.expire(T0 + 2, 10)));
    assertEquals(List.of(), await(runs.waiters("acme", "evt")));
    assertEquals(List.of(), await(runs.allWaiters()));
    assertTrue(await(runs.hookCall("acme", "wfr_a", "hook")).isEmpty());
    assertEquals(
        0L,
        send(vertx, Request.cmd(Command.SCARD).arg(keys.workflowEventIndex("acme", "evt")))
            .toLong());
    assertEquals(
        0L, send(vertx, Request.cmd(Command.ZCARD).arg(keys.workflowRunIndex("acme"))).toLong());
  }

  private static WorkflowWaiter waiter(String runId, String eventId) {
    return new WorkflowWaiter(
        "acme",
        eventId,
        runId,
        2,
        "https://example.com/wf",
        Map.of(),
        null,
        Map.of(),
        "{\"stepId\":2}",
        T0 + 60_000);
  }

  private long hlen(Vertx vertx, String key) {
    return send(vertx, Request.cmd(Command.HLEN).arg(key)).toLong();
  }

  private io.vertx.redis.client.Response send(Vertx vertx, Request request) {
    return link(vertx, l -> l.send(request));
  }

  private <T> T link(Vertx vertx, Function<RedisLink, Future<T>> call) {
    RedisLink link = RedisLink.create(vertx, config, StoreMetrics.NONE);
    try {
      return await(call.apply(link));
    } finally {
      await(link.close());
    }
  }
}
