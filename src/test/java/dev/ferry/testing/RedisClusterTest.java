package dev.ferry.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The three-primary cluster the Redis backend's Cluster tests run on behaves as a cluster. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RedisClusterTest {

  @Test
  void every_node_takes_writes_for_its_slots_and_a_killed_node_comes_back_with_its_data()
      throws Exception {
    try (RedisCluster cluster = RedisCluster.start()) {
      // GIVEN one key in each node's slot range
      Map<RedisNode, String> keyOf = new LinkedHashMap<>();
      for (int i = 0; keyOf.size() < RedisCluster.SIZE && i < 1000; i++) {
        keyOf.putIfAbsent(cluster.ownerOf("key-" + i), "key-" + i);
      }
      assertEquals(RedisCluster.SIZE, keyOf.size(), "the slots are spread over every node");

      for (Map.Entry<RedisNode, String> entry : keyOf.entrySet()) {
        RedisNode owner = entry.getKey();
        String key = entry.getValue();
        RedisNode other =
            cluster.nodes().stream().filter(n -> n != owner).findFirst().orElseThrow();
        assertNotSame(owner, other);
        // WHEN a client writes it through another node, following the redirect
        assertEquals("OK", other.clusterCli("SET", key, "from-" + owner.port()));
        // THEN the owner holds it, and the other node only points there
        assertEquals("from-" + owner.port(), owner.cli("GET", key));
        assertTrue(other.cli("GET", key).startsWith("MOVED"), "not stored on the other node");
      }

      // WHEN a node is killed with -9: the cluster stops serving (its slots have no owner)
      RedisNode victim = cluster.node(1);
      String victimKey = keyOf.get(victim);
      cluster.kill9(1);
      assertFalse(victim.isAlive());
      cluster.awaitState("fail", RedisCluster.NODE_TIMEOUT.plus(Duration.ofSeconds(20)));

      // THEN started again it rejoins, and what it acknowledged is still there (AOF, fsync always)
      cluster.restart(1);
      assertEquals("from-" + victim.port(), cluster.node(0).clusterCli("GET", victimKey));
    }
  }
}
