package dev.ferry.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.FerryConfig;
import dev.ferry.ingest.Ingest;
import dev.ferry.ingest.PublishCommand;
import dev.ferry.ingest.Published;
import dev.ferry.model.WorkflowStep;
import dev.ferry.store.MessageStore;
import dev.ferry.store.Stores;
import dev.ferry.store.embedded.EmbeddedStores;
import io.vertx.core.Future;
import io.vertx.junit5.VertxExtension;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workflow messages enter the store with their run: whatever write fails, a run (or step) Ferry has
 * recorded always has its message. Runs on the embedded store; message appends outside the run
 * store can be made to fail, as a crash or a failed write between two writes would.
 */
@ExtendWith(VertxExtension.class)
class WorkflowIngestTest {
  private static final String TENANT = "acme";
  private static final String URL = "http://127.0.0.1:1/wf";

  @TempDir Path dataDir;
  private Stores stores;
  private final AtomicBoolean appendsFail = new AtomicBoolean();
  private WorkflowIngest ingest;

  @BeforeEach
  void open() throws Exception {
    stores = EmbeddedStores.open(dataDir).toCompletionStage().toCompletableFuture().get();
    MessageStore failing = failingAppends(stores.messages());
    FerryConfig.Limits limits =
        new FerryConfig.Limits(
            1 << 20,
            1 << 20,
            100,
            3,
            10,
            Duration.ofDays(7),
            10,
            10,
            10,
            10,
            Duration.ofMinutes(10),
            10);
    Ingest plain =
        new Ingest(
            failing, stores.queues(), stores.urlGroups(), m -> {}, limits, Clock.systemUTC());
    ingest = new WorkflowIngest(plain, stores.workflowRuns(), Clock.systemUTC());
  }

  @AfterEach
  void close() throws Exception {
    stores.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void a_trigger_answered_deduplicated_always_has_its_message() throws Exception {
    appendsFail.set(true);
    settle(ingest.publish(command(Map.of()), new WorkflowTag("wfr_a", true, "step")));
    appendsFail.set(false);

    Published again =
        await(ingest.publish(command(Map.of()), new WorkflowTag("wfr_a", true, "step")));

    String first = again.items().get(0).messageId();
    List<WorkflowStep> steps = await(stores.workflowRuns().steps(TENANT, "wfr_a"));
    assertEquals(first, steps.get(0).messageId());
    assertTrue(
        await(stores.messages().find(TENANT, first)).isPresent(),
        "the run's first message is stored: a run reported as existing runs");
  }

  @Test
  void a_step_the_run_lists_always_has_its_message() throws Exception {
    await(ingest.publish(command(Map.of()), new WorkflowTag("wfr_b", true, "step")));
    appendsFail.set(true);
    settle(ingest.publish(command(Map.of()), new WorkflowTag("wfr_b", false, "step")));

    for (WorkflowStep step : await(stores.workflowRuns().steps(TENANT, "wfr_b"))) {
      assertTrue(
          await(stores.messages().find(TENANT, step.messageId())).isPresent(),
          "step " + step.messageId() + " is listed without its message");
    }
  }

  private PublishCommand command(Map<String, List<String>> headers) {
    return new PublishCommand(
        TENANT,
        URL,
        null,
        null,
        "POST",
        headers,
        "{\"hello\":1}".getBytes(StandardCharsets.UTF_8),
        3,
        null,
        0,
        0,
        List.of(),
        "127.0.0.1",
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** The store, with {@code append} failing while {@link #appendsFail} is set. */
  private MessageStore failingAppends(MessageStore real) {
    return (MessageStore)
        Proxy.newProxyInstance(
            MessageStore.class.getClassLoader(),
            new Class<?>[] {MessageStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("append") && appendsFail.get()) {
                return Future.failedFuture(new IllegalStateException("the write failed"));
              }
              return method.invoke(real, args);
            });
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Waits for {@code f}, whether it succeeds or fails. */
  private static void settle(Future<?> f) throws Exception {
    await(f.transform(ar -> Future.succeededFuture()));
  }
}
