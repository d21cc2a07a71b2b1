package dev.ferry.api.messages;

import dev.ferry.config.FerryConfig;
import dev.ferry.ingest.Ingest;
import dev.ferry.store.DlqStore;
import dev.ferry.store.MessageStore;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.function.BiConsumer;

/**
 * Mounts the message-lifecycle endpoints: {@code /v2/messages}, {@code /v2/dlq}, {@code
 * /v2/workflows/dlq}, {@code /v2/events}, {@code /v2/logs}.
 */
public final class LifecycleRoutes {
  private LifecycleRoutes() {}

  public static void mount(
      Router router,
      Lifecycle lifecycle,
      MessageStore messages,
      DlqStore dlq,
      DlqWorkflows workflows,
      Ingest ingest,
      FerryConfig.Limits limits,
      Clock clock,
      BiConsumer<String, String> queueChanged) {
    new MessagesHandler(messages, lifecycle, queueChanged).mount(router);
    new DlqHandler(dlq, workflows, ingest, limits, clock, lifecycle.dlqRemoved()).mount(router);
    new WorkflowDlqHandler(dlq, workflows, lifecycle.dlqRemoved()).mount(router);
    new LogsHandler(lifecycle.logs()).mount(router);
  }
}
