package dev.ferry.store;

import dev.ferry.model.LogRecord;
import dev.ferry.model.Message;
import io.vertx.core.Future;
import java.util.List;

/** The log store when {@code logs.enabled} is false: records nothing, every page is empty. */
public final class DisabledLogStore implements LogStore {
  @Override
  public void created(List<Message> messages) {}

  @Override
  public void record(LogRecord record) {}

  @Override
  public void recordAll(List<LogRecord> records) {}

  @Override
  public Future<Page> query(String tenant, Query query) {
    return Future.succeededFuture(new Page(List.of(), -1));
  }

  @Override
  public Future<Integer> expire(long beforeMillis, int limit) {
    return Future.succeededFuture(0);
  }

  @Override
  public long dropped() {
    return 0;
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
