package dev.ferry.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Sentinel set the Redis backend's failover tests run on fails over as Sentinel does. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RedisSentinelsTest {

  @Test
  void killing_the_primary_promotes_the_replica_and_the_old_primary_returns_as_a_replica()
      throws Exception {
    try (RedisSentinels set = RedisSentinels.start()) {
      // GIVEN a write the replica has acknowledged
      RedisNode first = set.primary();
      RedisNode second = set.replica();
      assertEquals("OK", first.cli("SET", "before", "1"));
      assertEquals("1", first.cli("WAIT", "1", "5000"), "one replica acknowledged");
      assertEquals("slave", second.info("replication", "role"));

      // WHEN the primary is killed with -9
      int promoted = set.failover(Duration.ofSeconds(60));

      // THEN the sentinels promote the replica, which has the write and takes new ones
      assertEquals(second.port(), promoted);
      assertEquals(second, set.primary());
      assertEquals("1", second.cli("GET", "before"));
      assertEquals("OK", second.cli("SET", "after", "2"));

      // AND the old primary, started again, is turned into a replica of the new one
      assertEquals(first, set.replica());
      first.restart();
      set.awaitReplicaBack(Duration.ofSeconds(60));
      assertEquals("slave", first.info("replication", "role"));
      assertEquals(String.valueOf(promoted), first.info("replication", "master_port"));
      assertNotEquals("", first.cli("GET", "after"));
      assertEquals("2", first.cli("GET", "after"));
    }
  }
}
