package dev.ferry.api.publish;

import dev.ferry.api.AddressCheck;
import dev.ferry.api.CallerIp;
import dev.ferry.api.DestinationPath;
import dev.ferry.api.TokenAuth;
import dev.ferry.api.ValidatedUrls;
import dev.ferry.config.FerryConfig;
import dev.ferry.error.ApiException;
import dev.ferry.ingest.PublishCommand;
import dev.ferry.ingest.Published;
import dev.ferry.store.UrlGroupStore;
import dev.ferry.workflow.WorkflowHeaders;
import dev.ferry.workflow.WorkflowIngest;
import dev.ferry.workflow.WorkflowTag;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v2/publish/{destination}} and {@code POST /v2/enqueue/{queue}/{destination}}: parse
 * at the edge, store through ingest, answer with the id(s) only once the messages are durable.
 */
public final class PublishHandler implements Handler<RoutingContext> {
  private final WorkflowIngest ingest;
  private final FerryConfig.Limits limits;
  private final Clock clock;
  private final boolean enqueue;
  private final ValidatedUrls urls = new ValidatedUrls();
  private final GroupDefaults groupDefaults;
  private final AddressCheck addresses;

  public PublishHandler(
      WorkflowIngest ingest,
      UrlGroupStore groups,
      FerryConfig.Limits limits,
      Clock clock,
      boolean enqueue,
      AddressCheck addresses) {
    this.addresses = addresses;
    this.ingest = ingest;
    this.groupDefaults = new GroupDefaults(groups);
    this.limits = limits;
    this.clock = clock;
    this.enqueue = enqueue;
  }

  @Override
  public void handle(RoutingContext ctx) {
    DestinationPath path = destination(ctx);
    Buffer body = ctx.body().buffer();
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    if (bytes.length > limits.maxMessageBytes()) {
      throw ApiException.payloadTooLarge(
          "message body too large: "
              + bytes.length
              + " bytes, at most "
              + limits.maxMessageBytes());
    }
    Map<String, List<String>> headers = RequestHeaders.of(ctx.request().headers(), path.config());
    if (path.urlGroup() == null) {
      publish(ctx, path, headers, bytes);
      return;
    }
    groupDefaults
        .apply(TokenAuth.tenant(ctx), path.urlGroup(), headers)
        .onSuccess(
            withDefaults -> {
              try {
                publish(ctx, path, withDefaults, bytes);
              } catch (RuntimeException e) {
                ctx.fail(e);
              }
            })
        .onFailure(ctx::fail);
  }

  /** The destination in the path; a 400 naming what is wrong with it. */
  private DestinationPath destination(RoutingContext ctx) {
    try {
      // Raw URI on purpose: the destination URL is in the path unencoded, and normalizedPath()
      // collapses its "//".
      return enqueue
          ? DestinationPath.parseEnqueue(ctx.request().uri(), urls)
          : DestinationPath.parse(ctx.request().uri(), DestinationPath.PUBLISH_PREFIX, urls);
    } catch (IllegalArgumentException invalid) {
      throw ApiException.badRequest(invalid.getMessage());
    }
  }

  private void publish(
      RoutingContext ctx, DestinationPath path, Map<String, List<String>> headers, byte[] bytes) {
    WorkflowTag workflow = WorkflowHeaders.read(headers);
    if (workflow != null) headers = WorkflowHeaders.withoutUnforwardable(headers);
    PublishOptions options = PublishOptions.parse(headers, enqueue, limits, clock.millis());
    PublishCommand command =
        Commands.of(
            TokenAuth.tenant(ctx),
            path.url(),
            path.urlGroup(),
            path.queueName(),
            options,
            bytes,
            CallerIp.of(ctx));
    addresses.command(command);
    ingest
        .publish(command, workflow)
        .onSuccess(published -> Responses.published(ctx, published))
        .onFailure(ctx::fail);
  }

  /** Builds the ingest command from the parsed parts; shared by publish, enqueue and batch. */
  static final class Commands {
    private Commands() {}

    static PublishCommand of(
        String tenant,
        String url,
        String urlGroup,
        String queue,
        PublishOptions o,
        byte[] body,
        String callerIp) {
      return new PublishCommand(
          tenant,
          url,
          urlGroup,
          queue,
          o.method(),
          o.headers(),
          body,
          o.maxRetries(),
          o.retryDelayExpression(),
          o.timeoutMillis(),
          o.notBefore(),
          o.labels(),
          callerIp,
          Deduplication.of(o, url != null ? url : urlGroup, body),
          null,
          o.callback(),
          o.failureCallback(),
          o.flowControl(),
          o.redactFields());
    }
  }

  /** Publish answers: an object for one URL, an array for a URL group; 201 when new. */
  static final class Responses {
    private Responses() {}

    /** 202 when every message of the publish was a duplicate (QStash: "accepted, not enqueued"). */
    static void published(RoutingContext ctx, Published published) {
      StringBuilder json = new StringBuilder(96);
      PublishResponses.append(json, published);
      int status = Deduplication.allDeduplicated(published) ? 202 : 201;
      ctx.response()
          .setStatusCode(status)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(json.toString());
    }
  }
}
