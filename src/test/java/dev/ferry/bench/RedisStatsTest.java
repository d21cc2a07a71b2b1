package dev.ferry.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ferry.testing.RedisServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisStatsTest {
  private static final String BEFORE =
      "# Stats\r\ntotal_commands_processed:10\r\ntotal_reads_processed:7\r\n"
          + "# Commandstats\r\n"
          + "cmdstat_info:calls=3,usec=81,usec_per_call=27.00,rejected_calls=0,failed_calls=0\r\n"
          + "cmdstat_hset:calls=5,usec=23,usec_per_call=4.60,rejected_calls=0,failed_calls=0\r\n";
  private static final String AFTER =
      "# Stats\r\ntotal_commands_processed:400\r\ntotal_reads_processed:28\r\n"
          + "# Commandstats\r\n"
          + "cmdstat_info:calls=4,usec=81,usec_per_call=20.00,rejected_calls=0,failed_calls=0\r\n"
          + "cmdstat_hset:calls=205,usec=23,usec_per_call=0.1,rejected_calls=0,failed_calls=0\r\n"
          + "cmdstat_evalsha:calls=10,usec=257,usec_per_call=25.7,rejected_calls=0,failed_calls=0\r\n"
          + "cmdstat_zadd:calls=400,usec=257,usec_per_call=0.6,rejected_calls=0,failed_calls=0\r\n";

  @Test
  void parses_calls_per_command_and_reads() {
    RedisStats.Snapshot s = RedisStats.Snapshot.parse(AFTER);
    assertEquals(Map.of("info", 4L, "hset", 205L, "evalsha", 10L, "zadd", 400L), s.calls());
    assertEquals(28, s.reads());
  }

  @Test
  void counts_per_message_without_the_bench_own_info_calls() {
    RedisStats stats = new RedisStats();
    stats.add(RedisStats.Snapshot.parse(BEFORE), RedisStats.Snapshot.parse(AFTER), 200);
    // 200 hset + 10 evalsha + 400 zadd over 200 messages; info left out
    assertEquals(3.05, stats.commandsPer(), 1e-9);
    // 21 reads, two of them the INFO calls' (the first one's close, the last one's request)
    assertEquals(0.095, stats.readsPer(), 1e-9);
    assertEquals(
        "Ferry Redis per message (counted runs): 3.050 commands (zadd 2.000, hset 1.000,"
            + " evalsha 0.050); 0.095 round trips (reads)",
        stats.describe("Ferry", "message"));
  }

  @Test
  void nothing_recorded_describes_as_null() {
    assertNull(new RedisStats().describe("Ferry", "message"));
  }

  @Test
  void reads_a_real_server_and_counts_a_pipeline_as_few_reads() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      RedisStats.Snapshot before = RedisStats.read(redis.port());
      StringBuilder pipeline = new StringBuilder();
      for (int i = 0; i < 100; i++) pipeline.append("HSET h f").append(i).append(" v\r\n");
      // one write of 100 commands: Redis reads it in one go, then the close (replies ignored)
      RedisStats.command(redis.port(), pipeline.toString().stripTrailing());
      RedisStats.Snapshot after = RedisStats.read(redis.port());
      RedisStats stats = new RedisStats();
      stats.add(before, after, 100);
      assertEquals(1.0, stats.commandsPer(), 1e-9);
      assertEquals(0.02, stats.readsPer(), 1e-9);
    }
  }
}
