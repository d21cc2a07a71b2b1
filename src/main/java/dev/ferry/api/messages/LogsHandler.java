package dev.ferry.api.messages;

import dev.ferry.api.QueryParams;
import dev.ferry.api.TokenAuth;
import dev.ferry.error.ApiException;
import dev.ferry.ingest.Ids;
import dev.ferry.lifecycle.MessageFilter;
import dev.ferry.model.LogEntry;
import dev.ferry.store.LogStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Predicate;

/**
 * {@code GET /v2/events} (key {@code events}, what every SDK calls) and {@code GET /v2/logs} (key
 * {@code logs}, plus {@code events} for readers of the older page): the tenant's log entries,
 * newest first by default, filtered, in pages with an opaque cursor ({@code <ms>-<seq>} of the last
 * entry) that stays valid while entries are written.
 */
final class LogsHandler {
  static final int DEFAULT_COUNT = 100;

  /** QStash's docs say 100 or 1000 in different places: accept up to 1000. */
  static final int MAX_COUNT = 1000;

  /**
   * Entries examined per request at most; a page that reaches it ends early, with a cursor to go
   * on.
   */
  static final int SCAN_LIMIT = 50_000;

  private final LogStore logs;

  LogsHandler(LogStore logs) {
    this.logs = logs;
  }

  void mount(Router router) {
    router.get("/v2/events").handler(ctx -> list(ctx, false));
    router.get("/v2/logs").handler(ctx -> list(ctx, true));
  }

  private void list(RoutingContext ctx, boolean logsKey) {
    RequestFields fields = RequestFields.ofQuery(QueryParams.of(ctx));
    LifecycleFields.LOGS.check(fields);
    int count = Params.count(fields, DEFAULT_COUNT, MAX_COUNT);
    boolean latestFirst = Params.latestFirst(fields, true);
    MessageFilter filter = Params.filter(fields);
    long after = cursor(Params.cursor(fields), latestFirst);
    long from = filter.fromDate();
    if (!filter.messageIds().isEmpty()) {
      // a message's entries are never older than the message: skip the part of the log before the
      // oldest id
      long oldest = Long.MAX_VALUE;
      for (String id : filter.messageIds()) {
        long created = Ids.createdAtOf(id);
        oldest = Math.min(oldest, created < 0 ? 0 : created - 1);
      }
      from = Math.max(from, oldest);
    }
    LogStore.Query query =
        new LogStore.Query(
            latestFirst, after, from, filter.toDate(), count, matcher(filter), SCAN_LIMIT);
    logs.query(TokenAuth.tenant(ctx), query)
        .onSuccess(
            page -> {
              JsonArray entries = new JsonArray();
              page.entries().forEach(e -> entries.add(MessageJson.log(e)));
              JsonObject body = new JsonObject();
              if (page.next() >= 0) body.put("cursor", format(page.next()));
              if (logsKey) body.put("logs", entries);
              body.put("events", logsKey ? entries.copy() : entries);
              ctx.json(body);
            })
        .onFailure(ctx::fail);
  }

  static Predicate<LogEntry> matcher(MessageFilter filter) {
    boolean fieldFilters = !filter.withoutIdsAndStates().selectsAll();
    return e -> {
      if (!filter.states().isEmpty() && !filter.states().contains(e.state())) return false;
      if (!filter.messageIds().isEmpty() && !filter.messageIds().contains(e.messageId()))
        return false;
      if (e.message() == null) return !fieldFilters;
      return filter.matches(e.message());
    };
  }

  static String format(long position) {
    return (position >>> 16) + "-" + (position & 0xFFFF);
  }

  /**
   * A cursor this handler gave out ({@code <ms>-<seq>}), or a bare number: a position, or (below
   * 2^50) a Unix ms time as the SDK's docs suggest passing {@code Date.now()}; -1 when absent.
   */
  static long cursor(String cursor, boolean latestFirst) {
    if (cursor == null) return -1;
    try {
      int dash = cursor.indexOf('-');
      if (dash > 0) {
        long ms = Long.parseLong(cursor.substring(0, dash));
        long seq = Long.parseLong(cursor.substring(dash + 1));
        if (ms < 0 || seq < 0 || seq > 0xFFFF || ms >= (1L << 47))
          throw new NumberFormatException();
        return (ms << 16) | seq;
      }
      long n = Long.parseLong(cursor);
      if (n < 0) throw new NumberFormatException();
      if (n >= (1L << 50)) return n;
      return latestFirst ? (n + 1) << 16 : (n << 16) - 1;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          "cursor: not a cursor this server gave out: \"" + cursor + "\"");
    }
  }
}
