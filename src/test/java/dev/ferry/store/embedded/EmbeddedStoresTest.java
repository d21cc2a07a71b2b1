package dev.ferry.store.embedded;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.await;
import static dev.ferry.store.StoreFixtures.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.model.Message;
import dev.ferry.store.StoreMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What only the embedded backend promises: group commit, context hops, lifecycle. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmbeddedStoresTest {
  @TempDir Path dataDir;

  @Test
  void concurrent_appends_share_group_commits() {
    EmbeddedStores stores = await(EmbeddedStores.open(dataDir));
    try {
      long before = stores.commits();
      List<Future<Void>> appends = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        appends.add(stores.messages().append(List.of(message("acme", T0 + i))));
      }
      await(Future.all(appends));
      long commits = stores.commits() - before;
      assertTrue(commits < 1000, "1000 appends took " + commits + " commits");
    } finally {
      await(stores.close());
    }
  }

  @Test
  void replies_arrive_on_the_callers_context(Vertx vertx, VertxTestContext test) {
    EmbeddedStores stores = await(EmbeddedStores.open(dataDir));
    Context context = vertx.getOrCreateContext();
    context.runOnContext(
        v -> {
          Message m = message("acme", T0);
          stores
              .messages()
              .append(List.of(m))
              .compose(x -> stores.messages().find("acme", m.id()))
              .onComplete(
                  test.succeeding(
                      found ->
                          test.verify(
                              () -> {
                                assertSame(context, Vertx.currentContext());
                                assertTrue(found.isPresent());
                                stores.close().onComplete(test.succeedingThenComplete());
                              })));
        });
  }

  @Test
  void a_group_commit_answers_every_caller_on_its_own_context(Vertx vertx, VertxTestContext test)
      throws InterruptedException {
    EmbeddedStores stores = await(EmbeddedStores.open(dataDir));
    long before = stores.commits();
    int perLoop = 100;
    Checkpoint answered = test.checkpoint(2 * perLoop);
    for (int loop = 0; loop < 2; loop++) {
      ContextInternal eventLoop = (ContextInternal) vertx.getOrCreateContext();
      eventLoop.runOnContext(
          v -> {
            for (int i = 0; i < perLoop; i++) {
              // a context per caller, as each HTTP request gets; the writer answers many of them in
              // one hop per loop
              ContextInternal caller = eventLoop.duplicate();
              caller.runOnContext(
                  x ->
                      stores
                          .messages()
                          .append(List.of(message("acme", T0)))
                          .onComplete(
                              test.succeeding(
                                  done ->
                                      test.verify(
                                          () -> {
                                            assertSame(caller, Vertx.currentContext());
                                            answered.flag();
                                          }))));
            }
          });
    }
    test.awaitCompletion(30, TimeUnit.SECONDS);
    assertTrue(
        stores.commits() - before < 2 * perLoop,
        "no commit was shared: the grouped answer went untested");
    await(stores.close());
  }

  @Test
  void calls_after_close_fail_and_closing_twice_is_harmless() {
    EmbeddedStores stores = await(EmbeddedStores.open(dataDir));
    await(stores.close());
    await(stores.close());
    Message m = message("acme", T0);
    IllegalStateException write =
        assertThrows(
            IllegalStateException.class, () -> await(stores.messages().append(List.of(m))));
    assertEquals("store is closed", write.getMessage());
    assertThrows(IllegalStateException.class, () -> await(stores.messages().find("acme", m.id())));
  }

  @Test
  void writes_pending_at_close_complete_before_it() {
    EmbeddedStores stores = await(EmbeddedStores.open(dataDir));
    List<Future<Void>> appends = new ArrayList<>();
    List<Message> ms = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Message m = message("acme", T0);
      ms.add(m);
      appends.add(stores.messages().append(List.of(m)));
    }
    await(stores.close());
    for (Future<Void> append : appends) {
      assertTrue(append.succeeded());
    }
    EmbeddedStores reopened = await(EmbeddedStores.open(dataDir));
    try {
      assertEquals(
          200, await(reopened.messages().findAll(ms.stream().map(Message::id).toList())).size());
    } finally {
      await(reopened.close());
    }
  }

  @Test
  void the_write_probe_succeeds_while_open_and_fails_after_close() {
    EmbeddedStores stores = await(EmbeddedStores.open(dataDir));
    await(stores.probeWrite());
    await(stores.close());
    assertThrows(IllegalStateException.class, () -> await(stores.probeWrite()));
  }

  @Test
  void the_commit_listener_hears_every_group_commit_with_its_size() {
    List<int[]> commits = new java.util.concurrent.CopyOnWriteArrayList<>();
    StoreMetrics listener =
        new StoreMetrics() {
          @Override
          public void committed(int operations, long nanos, boolean synced) {
            commits.add(new int[] {operations, synced ? 1 : 0});
          }
        };
    EmbeddedStores stores = await(EmbeddedStores.open(dataDir, listener));
    try {
      List<Future<Void>> appends = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        appends.add(stores.messages().append(List.of(message("acme", T0 + i))));
      }
      await(Future.all(appends));
      assertEquals(100, commits.stream().mapToInt(c -> c[0]).sum());
      assertTrue(commits.stream().allMatch(c -> c[1] == 1), "appends are synced");
    } finally {
      await(stores.close());
    }
  }

  @Test
  void opening_an_unusable_directory_fails_the_future() throws Exception {
    Path file = Files.createFile(dataDir.resolve("not-a-directory"));
    assertThrows(Exception.class, () -> await(EmbeddedStores.open(file)));
  }
}
