package dev.ferry.store;

import io.vertx.core.Future;

/** Every store of one backend, opened together and closed together. Built in {@code Ferry}, passed down. */
public interface Stores {
  MessageStore messages();

  DlqStore dlq();

  QueueStore queues();

  UrlGroupStore urlGroups();

  SigningKeyStore signingKeys();

  ScheduleStore schedules();

  /** Flushes and releases everything; pending writes complete first. */
  Future<Void> close();
}
