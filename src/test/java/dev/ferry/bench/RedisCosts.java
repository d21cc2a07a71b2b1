package dev.ferry.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The per-message costs of one side of a Redis row over its counted windows: the CPU of the server
 * processes (one instrument, or every Ferry replica summed per thread group) with the load
 * generator or sink, the CPU of {@code redis-server}, and Redis's commands and round trips ({@link
 * RedisStats}).
 */
final class RedisCosts {
  /** Both ends of a window are read with this: the servers' and Redis's CPU, Redis's counters. */
  record Mark(CpuAccount.Window servers, CpuAccount.Window redis, RedisStats.Snapshot info) {
    static Mark now(List<Lab.Server> servers, long otherPid, Lab.Server redis) {
      List<Long> pids = servers.stream().map(s -> s.child().pid()).toList();
      return new Mark(
          CpuAccount.Window.now(pids, otherPid),
          CpuAccount.Window.now(List.of(redis.child().pid()), redis.child().pid()),
          RedisStats.read(redis.port()));
    }
  }

  private final CpuAccount servers;
  private final CpuAccount redis = CpuAccount.serverOnly();
  private final RedisStats stats = new RedisStats();

  /**
   * @param other what the other process is (the load generator, the sink), as printed
   */
  RedisCosts(String other) {
    servers = new CpuAccount(other);
  }

  void add(Mark start, Mark end, double units) {
    servers.add(start.servers(), end.servers(), units);
    redis.add(start.redis(), end.redis(), units);
    stats.add(start.info(), end.info(), units);
  }

  /** The notes of this side, e.g. side "Ferry x3", unit "message". */
  List<String> describe(String side, String unit) {
    List<String> lines = new ArrayList<>();
    for (String line :
        new String[] {
          servers.describe(side, unit),
          redis.describe(side + ": redis-server", unit),
          stats.describe(side + ":", unit)
        }) {
      if (line != null) lines.add(line);
    }
    return lines;
  }
}
