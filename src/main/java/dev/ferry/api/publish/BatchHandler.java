package dev.ferry.api.publish;

import dev.ferry.api.AddressCheck;
import dev.ferry.api.CallerIp;
import dev.ferry.api.DestinationPath;
import dev.ferry.api.TokenAuth;
import dev.ferry.api.ValidatedUrls;
import dev.ferry.config.FerryConfig;
import dev.ferry.error.ApiException;
import dev.ferry.ingest.Ingest;
import dev.ferry.ingest.PublishCommand;
import dev.ferry.model.UrlGroup;
import dev.ferry.store.UrlGroupStore;
import dev.ferry.workflow.WorkflowHeaders;
import dev.ferry.workflow.WorkflowIngest;
import dev.ferry.workflow.WorkflowTag;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v2/batch}: every entry is parsed on its own; an invalid entry gets {@code {"error":
 * ...}} at its position while all valid entries are stored in one atomic, synced write. A body that
 * {@link BatchJson} refuses (not a strict JSON array, too many entries) is refused whole (400) and
 * stores nothing.
 */
public final class BatchHandler implements Handler<RoutingContext> {
  private final WorkflowIngest ingest;
  private final FerryConfig.Limits limits;
  private final Clock clock;
  private final ValidatedUrls urls = new ValidatedUrls();
  private final GroupDefaults groupDefaults;
  private final AddressCheck addresses;

  public BatchHandler(
      WorkflowIngest ingest,
      UrlGroupStore groups,
      FerryConfig.Limits limits,
      Clock clock,
      AddressCheck addresses) {
    this.addresses = addresses;
    this.ingest = ingest;
    this.groupDefaults = new GroupDefaults(groups);
    this.limits = limits;
    this.clock = clock;
  }

  @Override
  public void handle(RoutingContext ctx) {
    List<BatchEntry> entries = BatchJson.parse(ctx.body().buffer(), limits.maxBatchEntries());
    String tenant = TokenAuth.tenant(ctx);
    List<String> groups = groupNames(entries);
    if (groups.isEmpty()) {
      publish(ctx, entries, tenant, Map.of());
      return;
    }
    groupDefaults
        .load(tenant, groups)
        .onSuccess(
            defaults -> {
              try {
                publish(ctx, entries, tenant, defaults);
              } catch (RuntimeException e) {
                ctx.fail(e);
              }
            })
        .onFailure(ctx::fail);
  }

  /**
   * Names of the URL groups the entries publish to (destinations that are not URLs); usually none.
   */
  private static List<String> groupNames(List<BatchEntry> entries) {
    List<String> names = new ArrayList<>(0);
    for (BatchEntry entry : entries) {
      String name = entry.urlGroupName();
      if (name != null) names.add(name);
    }
    return names;
  }

  private void publish(
      RoutingContext ctx, List<BatchEntry> entries, String tenant, Map<String, UrlGroup> defaults) {
    String callerIp = CallerIp.of(ctx);
    long now = clock.millis();
    List<PublishCommand> commands = new ArrayList<>();
    List<WorkflowTag> workflows = new ArrayList<>(); // positional with commands, null for most
    List<Object> results =
        new ArrayList<>(entries.size()); // per position: an error message or a command index
    for (int i = 0; i < entries.size(); i++) {
      try {
        commands.add(parseEntry(entries.get(i), tenant, callerIp, now, defaults, workflows));
        results.add(commands.size() - 1);
      } catch (ApiException | IllegalArgumentException e) {
        results.add("entry " + i + ": " + e.getMessage());
      }
    }
    ingest
        .publishAll(commands, workflows)
        .onSuccess(
            outcomes -> {
              StringBuilder response = new StringBuilder(results.size() * 96).append('[');
              for (int i = 0; i < results.size(); i++) {
                if (i > 0) response.append(',');
                Object r = results.get(i);
                if (r instanceof String error) {
                  PublishResponses.appendError(response, error);
                  continue;
                }
                Ingest.Outcome outcome = outcomes.get((Integer) r);
                if (outcome.error() != null) {
                  PublishResponses.appendError(response, outcome.error().getMessage());
                } else {
                  PublishResponses.append(response, outcome.published());
                }
              }
              ctx.response()
                  .setStatusCode(200)
                  .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                  .end(response.append(']').toString());
            })
        .onFailure(ctx::fail);
  }

  /**
   * Checks one entry, its fields in a fixed order, and makes its command; adds its workflow tag (or
   * null) to {@code workflows} once it is valid.
   */
  private PublishCommand parseEntry(
      BatchEntry entry,
      String tenant,
      String callerIp,
      long now,
      Map<String, UrlGroup> defaults,
      List<WorkflowTag> workflows) {
    if (!entry.object()) throw ApiException.badRequest("must be a JSON object");
    if (!(entry.destination() instanceof String d) || d.isBlank()) {
      throw ApiException.badRequest("destination is required");
    }
    Object queue = entry.queue();
    if (queue != null && !(queue instanceof String))
      throw ApiException.badRequest("queue must be a string");
    String queueName = (String) queue;
    if (queueName != null && !DestinationPath.isValidName(queueName)) {
      throw ApiException.badRequest("invalid queue name: only A-Z a-z 0-9 - _ . are allowed");
    }
    if (entry.headersError() != null) throw ApiException.badRequest(entry.headersError());
    Map<String, List<String>> headers = entry.headers();
    WorkflowTag workflow = WorkflowHeaders.read(headers);
    if (workflow != null) headers = WorkflowHeaders.withoutUnforwardable(headers);
    if (entry.bodyError() != null) throw ApiException.badRequest(entry.bodyError());
    byte[] body = entry.body();
    if (body.length > limits.maxMessageBytes()) {
      throw ApiException.payloadTooLarge(
          "message body too large: " + body.length + " bytes, at most " + limits.maxMessageBytes());
    }
    DestinationPath target = DestinationPath.classify(d, urls);
    if (target.urlGroup() != null)
      headers = GroupDefaults.merge(defaults.get(target.urlGroup()), headers);
    PublishOptions options = PublishOptions.parse(headers, queueName != null, limits, now);
    PublishCommand command =
        PublishHandler.Commands.of(
            tenant, target.url(), target.urlGroup(), queueName, options, body, callerIp);
    addresses.command(command); // a refused entry is itemised like any other bad entry
    workflows.add(workflow);
    return command;
  }
}
