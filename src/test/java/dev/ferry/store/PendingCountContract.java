package dev.ferry.store;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.attempt;
import static dev.ferry.store.StoreFixtures.await;
import static dev.ferry.store.StoreFixtures.dlqEntry;
import static dev.ferry.store.StoreFixtures.guarded;
import static dev.ferry.store.StoreFixtures.message;
import static dev.ferry.store.StoreFixtures.queued;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.model.Message;
import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link MessageStore#pendingCount}: every write that adds or removes pending messages changes the
 * tenant's count exactly once, a write that changes nothing leaves it alone, and the count survives
 * a restart.
 */
public abstract class PendingCountContract extends StoresContract {
  private static final long WINDOW = 60_000;

  @Test
  void appends_count_plain_queued_and_deduplicated_messages_once(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    assertEquals(0L, await(store.pendingCount("acme")));
    await(store.append(List.of(message("acme", T0), message("acme", T0 + 5))));
    await(store.append(List.of(queued("acme", "q"), queued("acme", "q"))));
    assertEquals(4L, await(store.pendingCount("acme")));

    Message first = guarded("acme", "k");
    Message duplicate = guarded("acme", "k");
    Message unguarded = message("acme", T0);
    await(
        store.appendDeduplicated(
            Arrays.asList(first, duplicate, unguarded),
            Arrays.asList("k", "k", null),
            T0,
            T0 + WINDOW));
    assertEquals(6L, await(store.pendingCount("acme")), "the duplicate is not counted");
    await(
        store.appendDeduplicated(
            List.of(guarded("acme", "k")), List.of("k"), T0 + 1, T0 + 1 + WINDOW));
    assertEquals(6L, await(store.pendingCount("acme")), "a later duplicate is not counted");
  }

  @Test
  void deliveries_single_and_batched_count_out_once_and_retries_change_nothing(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    Message a = message("acme", T0);
    Message b = message("acme", T0 + 1);
    Message q1 = queued("acme", "q");
    Message q2 = queued("acme", "q");
    Message c = message("acme", T0 + 2);
    await(store.append(List.of(a, b, q1, q2, c)));

    await(store.reschedule(c, c.retriedAt(T0 + 10_000), attempt(500)));
    assertEquals(5L, await(store.pendingCount("acme")), "a retry leaves the message pending");

    await(store.markDelivered(a, attempt(200)));
    assertEquals(4L, await(store.pendingCount("acme")));
    await(store.markAllDelivered(List.of(b, q1, q2)));
    assertEquals(1L, await(store.pendingCount("acme")));

    // delivered again (a late duplicate outcome): nothing is pending, nothing counts out
    await(store.markDelivered(a, attempt(200)));
    await(store.markAllDelivered(List.of(b, q1, q2, a)));
    assertEquals(1L, await(store.pendingCount("acme")));
  }

  @Test
  void dlq_moves_cancels_and_purges_count_out_once(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    Message failing = message("acme", T0);
    Message cancelled = message("acme", T0);
    Message cancelledQueued = queued("acme", "jobs");
    List<Message> purged = List.of(queued("acme", "q"), queued("acme", "q"), queued("acme", "q"));
    Message kept = message("acme", T0);
    await(store.append(List.of(failing, cancelled, cancelledQueued, kept)));
    await(store.append(purged));
    assertEquals(7L, await(store.pendingCount("acme")));

    await(store.moveToDlq(failing, dlqEntry(T0 + "-1", failing)));
    assertEquals(6L, await(store.pendingCount("acme")));
    await(store.moveToDlq(failing, dlqEntry(T0 + "-2", failing)));
    assertEquals(6L, await(store.pendingCount("acme")), "a second move moves nothing");

    await(store.cancel("acme", List.of(cancelled.id(), cancelledQueued.id(), "msg_unknown")));
    assertEquals(4L, await(store.pendingCount("acme")));
    await(store.cancel("acme", List.of(cancelled.id(), cancelledQueued.id())));
    assertEquals(4L, await(store.pendingCount("acme")), "a second cancel removes nothing");

    assertEquals(3L, await(store.purgeQueue("acme", "q")));
    assertEquals(1L, await(store.pendingCount("acme")));
    assertEquals(0L, await(store.purgeQueue("acme", "q")));
    assertEquals(1L, await(store.pendingCount("acme")));

    // a message that left by one path does not count out again by another
    await(store.markDelivered(cancelled, attempt(200)));
    await(store.moveToDlq(cancelledQueued, dlqEntry(T0 + "-3", cancelledQueued)));
    await(store.markDelivered(kept, attempt(200)));
    await(store.cancel("acme", List.of(kept.id())));
    assertEquals(0L, await(store.pendingCount("acme")));
  }

  @Test
  void tenants_are_counted_apart(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    Message mine = message("acme", T0);
    Message theirs = message("globex", T0);
    await(store.append(List.of(mine, theirs, message("globex", T0), queued("globex", "q"))));
    assertEquals(1L, await(store.pendingCount("acme")));
    assertEquals(3L, await(store.pendingCount("globex")));
    assertEquals(0L, await(store.pendingCount("initech")));

    await(store.cancel("acme", List.of(theirs.id())));
    assertEquals(3L, await(store.pendingCount("globex")), "another tenant's cancel removes none");
    await(store.markAllDelivered(List.of(mine, theirs)));
    assertEquals(0L, await(store.pendingCount("acme")));
    assertEquals(2L, await(store.pendingCount("globex")));
  }

  @Test
  void schedule_ticks_and_workflow_steps_count_their_messages(Vertx vertx) {
    Stores stores = open(vertx);
    var schedule = await(stores.schedules().put(ScheduleStoreContract.schedule("acme", "s")));
    await(
        stores
            .schedules()
            .recordTick(schedule, T0 + 60_000, List.of(message("acme", T0), queued("acme", "q"))));
    assertEquals(2L, await(stores.messages().pendingCount("acme")));

    Message trigger = message("acme", T0);
    Message refused = message("acme", T0);
    WorkflowRunStore runs = stores.workflowRuns();
    await(
        runs.create(
            WorkflowRunStoreContract.run("acme", "wfr_a"),
            WorkflowRunStoreContract.step(trigger.id(), "init"),
            List.of(trigger)));
    await(
        runs.create(
            WorkflowRunStoreContract.run("acme", "wfr_a"),
            WorkflowRunStoreContract.step(refused.id(), "again"),
            List.of(refused)));
    assertEquals(3L, await(stores.messages().pendingCount("acme")), "a refused step adds none");

    await(runs.moveToDlq("wfr_a", trigger, dlqEntry("dlq-1", trigger), T0 + 9));
    assertEquals(2L, await(stores.messages().pendingCount("acme")));
  }

  @Test
  void the_count_survives_a_restart(Vertx vertx) {
    Stores stores = open(vertx);
    Message delivered = message("acme", T0);
    await(
        stores
            .messages()
            .append(
                List.of(delivered, message("acme", T0), queued("acme", "q"), message("b", T0))));
    await(stores.messages().markDelivered(delivered, attempt(200)));

    Stores again = reopen(vertx, stores);
    assertEquals(2L, await(again.messages().pendingCount("acme")));
    assertEquals(1L, await(again.messages().pendingCount("b")));
    await(again.messages().append(List.of(message("acme", T0))));
    assertEquals(3L, await(again.messages().pendingCount("acme")));
  }
}
