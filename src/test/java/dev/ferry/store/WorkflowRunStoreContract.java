package dev.ferry.store;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.await;
import static dev.ferry.store.StoreFixtures.dlqEntry;
import static dev.ferry.store.StoreFixtures.message;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.model.CallbackConfig;
import dev.ferry.model.FailureCallbackInfo;
import dev.ferry.model.FlowControl;
import dev.ferry.model.Message;
import dev.ferry.model.WorkflowInvoker;
import dev.ferry.model.WorkflowRun;
import dev.ferry.model.WorkflowRun.State;
import dev.ferry.model.WorkflowSettings;
import dev.ferry.model.WorkflowStep;
import dev.ferry.model.WorkflowWaiter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link WorkflowRunStore} must have: one run per id and tenant, steps in
 * append order, no step after the end, and everything kept across a restart.
 */
public abstract class WorkflowRunStoreContract extends StoresContract {

  /** A run with every setting filled in. */
  static WorkflowRun run(String tenant, String runId) {
    CallbackConfig failure =
        new CallbackConfig(
            "https://example.com/wf",
            "POST",
            Map.of("Upstash-Workflow-Is-Failure", List.of("true")),
            4,
            "1000",
            0,
            0,
            null);
    WorkflowSettings settings =
        new WorkflowSettings(
            5,
            "2000 * retried",
            new FlowControl("fk", 2, 5, 60),
            failure,
            List.of("lab"),
            Map.of("X-Ünï", List.of("a", "b")));
    return WorkflowRun.started(tenant, runId, "https://example.com/wf", T0, settings);
  }

  static WorkflowStep step(String messageId, String body) {
    return new WorkflowStep(messageId, "step", body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void a_run_is_created_once_per_tenant_and_id(Vertx vertx) {
    WorkflowRunStore store = open(vertx).workflowRuns();
    assertTrue(await(store.create(run("acme", "wfr_a"), step("msg_1", "{\"x\":1}"), List.of())));
    assertFalse(await(store.create(run("acme", "wfr_a"), step("msg_2", "other"), List.of())));
    assertTrue(await(store.create(run("globex", "wfr_a"), step("msg_3", "g"), List.of())));

    WorkflowRun found = await(store.find("acme", "wfr_a")).orElseThrow();
    assertEquals(State.RUN_STARTED, found.state());
    assertEquals(1, found.stepCount());
    assertEquals(T0, found.createdAt());
    assertEquals(run("acme", "wfr_a").settings(), found.settings());
    assertEquals(List.of("msg_1"), ids(await(store.steps("acme", "wfr_a"))));
    assertEquals(Optional.empty(), await(store.find("acme", "wfr_b")));
    assertEquals(List.of(), await(store.steps("acme", "wfr_b")));
  }

  @Test
  void steps_come_back_in_append_order_with_their_bodies(Vertx vertx) {
    WorkflowRunStore store = open(vertx).workflowRuns();
    await(store.create(run("acme", "wfr_a"), step("msg_0", "init"), List.of()));
    await(
        store.create(
            run("acme", "wfr_ab"), step("msg_x", "a run whose id extends the other"), List.of()));
    List<Future<Boolean>> appends = new ArrayList<>();
    for (int i = 1; i <= 300; i++)
      appends.add(store.append("acme", "wfr_a", step("msg_" + i, "s" + i), List.of()));
    appends.forEach(f -> assertTrue(await(f)));
    await(
        store.append(
            "acme",
            "wfr_a",
            new WorkflowStep("msg_call", "toCallback", new byte[] {0, -1}),
            List.of()));

    List<WorkflowStep> steps = await(store.steps("acme", "wfr_a"));
    assertEquals(302, steps.size());
    for (int i = 0; i <= 300; i++) assertEquals("msg_" + i, steps.get(i).messageId());
    assertEquals("s300", new String(steps.get(300).body(), StandardCharsets.UTF_8));
    WorkflowStep call = steps.get(301);
    assertEquals("toCallback", call.callType());
    assertFalse(call.isStep());
    assertArrayEquals(new byte[] {0, -1}, call.body());
    assertEquals(302, await(store.find("acme", "wfr_a")).orElseThrow().stepCount());
    assertEquals(List.of("msg_x"), ids(await(store.steps("acme", "wfr_ab"))));
  }

  @Test
  void an_ended_run_takes_no_more_steps_and_ends_once(Vertx vertx) {
    WorkflowRunStore store = open(vertx).workflowRuns();
    await(store.create(run("acme", "wfr_a"), step("msg_0", "init"), List.of()));
    byte[] response = "\"done\"".getBytes(StandardCharsets.UTF_8);

    WorkflowRun before =
        await(store.end("acme", "wfr_a", State.RUN_SUCCESS, response, T0 + 5)).orElseThrow();
    assertEquals(State.RUN_STARTED, before.state());
    assertEquals(
        Optional.empty(), await(store.end("acme", "wfr_a", State.RUN_CANCELED, null, T0 + 6)));
    assertFalse(await(store.append("acme", "wfr_a", step("msg_1", "late"), List.of())));
    assertFalse(await(store.append("acme", "wfr_unknown", step("msg_2", "lost"), List.of())));
    assertEquals(
        Optional.empty(), await(store.end("acme", "wfr_unknown", State.RUN_FAILED, null, T0)));

    WorkflowRun ended = await(store.find("acme", "wfr_a")).orElseThrow();
    assertEquals(State.RUN_SUCCESS, ended.state());
    assertArrayEquals(response, ended.response());
    assertEquals(T0 + 5, ended.endedAt());
    assertEquals(List.of("msg_0"), ids(await(store.steps("acme", "wfr_a"))));
    assertFalse(await(store.create(run("acme", "wfr_a"), step("msg_3", "again"), List.of())));
  }

  @Test
  void runs_and_steps_survive_a_restart(Vertx vertx) {
    Stores stores = open(vertx);
    await(stores.workflowRuns().create(run("acme", "wfr_a"), step("msg_0", "init"), List.of()));
    await(stores.workflowRuns().append("acme", "wfr_a", step("msg_1", "one"), List.of()));
    await(stores.workflowRuns().create(run("acme", "wfr_b"), step("msg_2", "b"), List.of()));
    await(stores.workflowRuns().end("acme", "wfr_b", State.RUN_CANCELED, null, T0 + 1));

    WorkflowRunStore store = reopen(vertx, stores).workflowRuns();
    assertEquals(List.of("msg_0", "msg_1"), ids(await(store.steps("acme", "wfr_a"))));
    assertEquals(
        run("acme", "wfr_a").settings(),
        await(store.find("acme", "wfr_a")).orElseThrow().settings());
    assertTrue(await(store.append("acme", "wfr_a", step("msg_3", "two"), List.of())));
    assertEquals(State.RUN_CANCELED, await(store.find("acme", "wfr_b")).orElseThrow().state());
  }

  @Test
  void a_run_is_created_with_its_first_message_or_not_at_all(Vertx vertx) {
    Stores stores = open(vertx);
    WorkflowRunStore store = stores.workflowRuns();
    Message trigger = message("acme", T0);
    Message repeated = message("acme", T0);

    assertTrue(
        await(store.create(run("acme", "wfr_a"), step(trigger.id(), "init"), List.of(trigger))));
    assertFalse(
        await(store.create(run("acme", "wfr_a"), step(repeated.id(), "again"), List.of(repeated))));

    assertTrue(await(stores.messages().find("acme", trigger.id())).isPresent());
    assertEquals(
        Optional.empty(),
        await(stores.messages().find("acme", repeated.id())),
        "a refused trigger stores no message");
    assertEquals(List.of(trigger.id()), ids(await(store.steps("acme", "wfr_a"))));
  }

  @Test
  void a_step_is_appended_with_its_message_or_not_at_all(Vertx vertx) {
    Stores stores = open(vertx);
    WorkflowRunStore store = stores.workflowRuns();
    await(store.create(run("acme", "wfr_a"), step("msg_0", "init"), List.of()));
    Message next = message("acme", T0);
    Message late = message("acme", T0);

    assertTrue(await(store.append("acme", "wfr_a", step(next.id(), "one"), List.of(next))));
    await(store.end("acme", "wfr_a", State.RUN_CANCELED, null, T0 + 1));
    assertFalse(await(store.append("acme", "wfr_a", step(late.id(), "late"), List.of(late))));

    assertTrue(await(stores.messages().find("acme", next.id())).isPresent());
    assertEquals(Optional.empty(), await(stores.messages().find("acme", late.id())));
  }

  @Test
  void a_step_moved_to_the_dlq_fails_its_run_in_the_same_write(Vertx vertx) {
    Stores stores = open(vertx);
    WorkflowRunStore store = stores.workflowRuns();
    Message trigger = message("acme", T0);
    await(store.create(run("acme", "wfr_a"), step(trigger.id(), "init"), List.of(trigger)));

    await(store.moveToDlq("wfr_a", trigger, dlqEntry("dlq-1", trigger), T0 + 9));

    WorkflowRun failed = await(store.find("acme", "wfr_a")).orElseThrow();
    assertEquals(State.RUN_FAILED, failed.state());
    assertEquals("dlq-1", failed.dlqId());
    assertEquals(T0 + 9, failed.endedAt());
    assertEquals(Optional.empty(), await(stores.messages().find("acme", trigger.id())));
    assertTrue(await(stores.dlq().find("acme", "dlq-1")).isPresent());

    // a message no longer pending moves nothing and changes no run
    Message other = message("acme", T0);
    await(store.create(run("acme", "wfr_b"), step(other.id(), "init"), List.of()));
    await(store.moveToDlq("wfr_b", other, dlqEntry("dlq-2", other), T0 + 9));
    assertEquals(State.RUN_STARTED, await(store.find("acme", "wfr_b")).orElseThrow().state());
    assertEquals(Optional.empty(), await(stores.dlq().find("acme", "dlq-2")));
  }

  @Test
  void a_resumed_run_is_created_with_all_its_steps_and_its_message_in_one_write(Vertx vertx) {
    Stores stores = open(vertx);
    WorkflowRunStore store = stores.workflowRuns();
    Message again = message("acme", T0);
    List<WorkflowStep> steps =
        List.of(step("msg_0", "init"), step("msg_1", "{\"one\":1}"), step(again.id(), "two"));
    assertTrue(await(store.create(run("acme", "wfr_r"), steps, List.of(again))));
    assertFalse(await(store.create(run("acme", "wfr_r"), steps.subList(0, 1), List.of())));

    assertEquals(List.of("msg_0", "msg_1", again.id()), ids(await(store.steps("acme", "wfr_r"))));
    assertEquals("two", new String(await(store.steps("acme", "wfr_r")).get(2).body(), UTF_8));
    assertEquals(3, await(store.find("acme", "wfr_r")).orElseThrow().stepCount());
    assertTrue(await(stores.messages().find("acme", again.id())).isPresent());
    assertTrue(await(store.append("acme", "wfr_r", step("msg_3", "three"), List.of())));
    assertEquals(4, await(store.steps("acme", "wfr_r")).size());
  }

  @Test
  void a_failure_callback_record_is_set_only_from_the_state_asked_and_survives_a_restart(
      Vertx vertx) {
    Stores stores = open(vertx);
    WorkflowRunStore store = stores.workflowRuns();
    await(store.create(run("acme", "wfr_a"), step("msg_0", "init"), List.of()));
    assertNull(await(store.find("acme", "wfr_a")).orElseThrow().failureCallback());
    FailureCallbackInfo failed =
        new FailureCallbackInfo(
            FailureCallbackInfo.State.CALLBACK_FAIL,
            503,
            "down".getBytes(UTF_8),
            Map.of("Retry-After", List.of("5")));

    assertFalse(
        await(
            store.setFailureCallback(
                "acme",
                "wfr_a",
                FailureCallbackInfo.State.CALLBACK_FAIL,
                FailureCallbackInfo.IN_PROGRESS)),
        "no record yet: not in CALLBACK_FAIL");
    assertTrue(await(store.setFailureCallback("acme", "wfr_a", null, failed)));
    assertFalse(await(store.setFailureCallback("acme", "wfr_b", null, failed)), "unknown run");

    FailureCallbackInfo read = await(store.find("acme", "wfr_a")).orElseThrow().failureCallback();
    assertEquals(FailureCallbackInfo.State.CALLBACK_FAIL, read.state());
    assertEquals(503, read.status());
    assertEquals("down", new String(read.body(), UTF_8));
    assertEquals(Map.of("Retry-After", List.of("5")), read.headers());

    assertTrue(
        await(
            store.setFailureCallback(
                "acme",
                "wfr_a",
                FailureCallbackInfo.State.CALLBACK_FAIL,
                FailureCallbackInfo.IN_PROGRESS)));
    WorkflowRunStore reopened = reopen(vertx, stores).workflowRuns();
    assertEquals(
        FailureCallbackInfo.State.CALLBACK_INPROGRESS,
        await(reopened.find("acme", "wfr_a")).orElseThrow().failureCallback().state());
  }

  static WorkflowWaiter waiter(String runId, String eventId, int stepId) {
    return new WorkflowWaiter(
        "acme",
        eventId,
        runId,
        stepId,
        "https://example.com/wf",
        Map.of("upstash-workflow-runid", List.of(runId)),
        null,
        Map.of(),
        "{\"stepId\":" + stepId + "}",
        T0 + 60_000);
  }

  @Test
  void a_wait_ends_once_and_only_for_a_running_run(Vertx vertx) {
    Stores stores = open(vertx);
    WorkflowRunStore store = stores.workflowRuns();
    await(store.create(run("acme", "wfr_a"), step("msg_0", "init"), List.of()));
    assertTrue(await(store.addWaiter(waiter("wfr_a", "evt", 2))));
    assertTrue(await(store.addWaiter(waiter("wfr_a", "evt", 3))));
    assertFalse(await(store.addWaiter(waiter("wfr_none", "evt", 2))), "no run, no waiter");
    assertEquals(2, await(store.waiters("acme", "evt")).size());
    assertEquals(List.of(), await(store.waiters("acme", "ev")), "an event id is no prefix");
    assertEquals(List.of(), await(store.waiters("globex", "evt")));

    Message notified = message("acme", T0);
    Message timedOut = message("acme", T0);
    assertTrue(
        await(
            store.resolveWaiter(
                waiter("wfr_a", "evt", 2), step(notified.id(), "n"), List.of(notified))));
    assertFalse(
        await(
            store.resolveWaiter(
                waiter("wfr_a", "evt", 2), step(timedOut.id(), "t"), List.of(timedOut))),
        "the second of a notify and a timeout is refused");
    assertEquals(List.of("msg_0", notified.id()), ids(await(store.steps("acme", "wfr_a"))));
    assertTrue(await(stores.messages().find("acme", notified.id())).isPresent());
    assertEquals(Optional.empty(), await(stores.messages().find("acme", timedOut.id())));

    await(store.end("acme", "wfr_a", State.RUN_CANCELED, null, T0));
    Message late = message("acme", T0);
    assertFalse(
        await(store.resolveWaiter(waiter("wfr_a", "evt", 3), step(late.id(), "l"), List.of(late))));
    assertEquals(List.of(), await(store.waiters("acme", "evt")), "the ended run's waiter is gone");

    await(store.create(run("acme", "wfr_b"), step("msg_b", "init"), List.of()));
    await(store.addWaiter(waiter("wfr_b", "evt2", 1)));
    WorkflowRunStore reopened = reopen(vertx, stores).workflowRuns();
    assertEquals(List.of(waiter("wfr_b", "evt2", 1)), await(reopened.allWaiters()));
  }

  @Test
  void runs_are_listed_by_filter_and_forgotten_after_they_ended(Vertx vertx) {
    WorkflowRunStore store = open(vertx).workflowRuns();
    for (String id : List.of("wfr_1", "wfr_2", "wfr_3", "wfr_4")) {
      await(store.create(run("acme", id), step("msg_" + id, "init"), List.of()));
    }
    await(store.create(run("globex", "wfr_g"), step("msg_g", "init"), List.of()));
    assertTrue(await(store.addWaiter(waiter("wfr_2", "evt", 1))));
    assertTrue(await(store.addWaiter(waiter("wfr_1", "evt", 1))));
    await(store.end("acme", "wfr_2", State.RUN_SUCCESS, null, T0 + 10));
    await(store.end("acme", "wfr_3", State.RUN_CANCELED, null, T0 + 20));

    assertEquals(List.of("wfr_1", "wfr_2"), runIds(await(store.list("acme", null, 2, r -> true))));
    assertEquals(
        List.of("wfr_3", "wfr_4"), runIds(await(store.list("acme", "wfr_2", 2, r -> true))));
    assertEquals(
        List.of("wfr_1", "wfr_4"),
        runIds(await(store.list("acme", null, 10, WorkflowRun::active))));

    assertEquals(1, await(store.expire(T0 + 15, 10)), "only the run that ended before the cutoff");
    assertEquals(Optional.empty(), await(store.find("acme", "wfr_2")));
    assertEquals(List.of(), await(store.steps("acme", "wfr_2")));
    assertEquals(
        List.of(waiter("wfr_1", "evt", 1)),
        await(store.waiters("acme", "evt")),
        "a forgotten run's waiters go with it");
    assertTrue(await(store.find("acme", "wfr_3")).isPresent());
    assertEquals(0, await(store.expire(T0 + 15, 10)));
    assertEquals(1, await(store.expire(T0 + 100, 10)));
    assertEquals(List.of("wfr_1", "wfr_4"), runIds(await(store.list("acme", null, 10, r -> true))));
    assertTrue(
        await(store.create(run("acme", "wfr_2"), step("msg_again", "init"), List.of())),
        "a forgotten run's id can start a new run");
  }

  private static List<String> runIds(List<WorkflowRun> runs) {
    return runs.stream().map(WorkflowRun::runId).toList();
  }

  private static List<String> ids(List<WorkflowStep> steps) {
    return steps.stream().map(WorkflowStep::messageId).toList();
  }

  @Test
  void an_invoked_run_that_ends_stays_untold_across_a_restart_until_its_invoker_is_told(
      Vertx vertx) {
    Stores stores = open(vertx);
    WorkflowRunStore store = stores.workflowRuns();
    await(store.create(run("acme", "wfr_parent"), step("msg_p", "p"), List.of()));
    WorkflowInvoker invoker =
        new WorkflowInvoker(
            "wfr_parent", "https://example.com/p", T0, Map.of("upstash-x", List.of("1")), "{}");
    await(store.create(run("acme", "wfr_child").invokedBy(invoker), step("msg_c", "c"), List.of()));
    await(store.create(run("acme", "wfr_plain"), step("msg_x", "x"), List.of()));
    assertEquals(List.of(), await(store.untoldInvoked()), "no run has ended");
    await(store.end("acme", "wfr_plain", State.RUN_SUCCESS, null, T0 + 1));
    await(store.end("acme", "wfr_child", State.RUN_SUCCESS, "42".getBytes(), T0 + 1));

    store = reopen(vertx, stores).workflowRuns();
    List<WorkflowRun> untold = await(store.untoldInvoked());
    assertEquals(List.of("wfr_child"), untold.stream().map(WorkflowRun::runId).toList());
    WorkflowRun child = untold.get(0);
    assertEquals(invoker, child.invoker());
    assertEquals("42", new String(child.response(), StandardCharsets.UTF_8));

    assertTrue(await(store.tellInvoker(child, step("msg_told", "out"), List.of())));
    assertFalse(
        await(store.tellInvoker(child, step("msg_again", "out"), List.of())), "told once only");
    assertEquals(List.of(), await(store.untoldInvoked()));
    assertEquals(List.of("msg_p", "msg_told"), ids(await(store.steps("acme", "wfr_parent"))));
  }
}
