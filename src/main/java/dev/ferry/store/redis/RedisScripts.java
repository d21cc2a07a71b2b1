package dev.ferry.store.redis;

/** The store's Lua scripts (in {@code src/main/resources/dev/ferry/store/redis/}), loaded once. */
final class RedisScripts {
  static final LuaScript APPEND = LuaScript.load("append");
  static final LuaScript APPEND_DEDUP = LuaScript.load("append_dedup");
  static final LuaScript PURGE_DEDUP = LuaScript.load("purge_dedup");
  static final LuaScript REMOVE = LuaScript.load("remove");
  static final LuaScript RESCHEDULE = LuaScript.load("reschedule");
  static final LuaScript MOVE_TO_DLQ = LuaScript.load("move_to_dlq");
  static final LuaScript PURGE_QUEUE = LuaScript.load("purge_queue");
  static final LuaScript PENDING_COUNT_INIT = LuaScript.load("pending_count_init");
  static final LuaScript QUEUE_SLICE = LuaScript.load("queue_slice");
  static final LuaScript DLQ_EXPIRE = LuaScript.load("dlq_expire");
  static final LuaScript DLQ_DELETE = LuaScript.load("dlq_delete");
  static final LuaScript META_PUT = LuaScript.load("meta_put");
  static final LuaScript META_DELETE = LuaScript.load("meta_delete");
  static final LuaScript SCHEDULE_INDEX = LuaScript.load("schedule_index");
  static final LuaScript SCHEDULE_PUT = LuaScript.load("schedule_put");
  static final LuaScript SCHEDULE_CAS = LuaScript.load("schedule_cas");
  static final LuaScript SCHEDULE_TICK = LuaScript.load("schedule_tick");

  /** Clears a hash field if it still holds what was copied: for every outbox. */
  static final LuaScript TICK_OUTBOX_CLEAR = LuaScript.load("tick_outbox_clear");

  static final LuaScript LOG_APPEND = LuaScript.load("log_append");
  static final LuaScript LOG_EXPIRE = LuaScript.load("log_expire");
  static final LuaScript WORKFLOW_STEP = LuaScript.load("workflow_step");
  static final LuaScript WORKFLOW_END = LuaScript.load("workflow_end");
  static final LuaScript WORKFLOW_CALLBACK = LuaScript.load("workflow_callback");
  static final LuaScript WORKFLOW_FIND = LuaScript.load("workflow_find");
  static final LuaScript WORKFLOW_ADD_WAITER = LuaScript.load("workflow_add_waiter");
  static final LuaScript WORKFLOW_KEEP_CALL = LuaScript.load("workflow_keep_call");
  static final LuaScript WORKFLOW_EXPIRE = LuaScript.load("workflow_expire");

  private RedisScripts() {}
}
