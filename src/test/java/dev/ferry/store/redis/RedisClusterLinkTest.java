package dev.ferry.store.redis;

import static dev.ferry.store.StoreFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.config.RedisConfig;
import dev.ferry.store.StoreMetrics;
import dev.ferry.testing.RedisCluster;
import dev.ferry.testing.RedisNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link RedisLink} on the shared 3-primary Cluster: a batch may span slots on every node. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisClusterLinkTest {
  @Test
  void a_batch_over_keys_on_every_node_answers_in_request_order(Vertx vertx) throws Exception {
    RedisConfig config = SharedRedisCluster.freshConfig();
    RedisKeys keys = new RedisKeys(config.keyPrefix());
    RedisCluster cluster = SharedRedisCluster.cluster();
    List<String> names = new ArrayList<>();
    Set<Integer> nodes = new HashSet<>();
    for (int p = 0; p < 64 && nodes.size() < RedisCluster.SIZE; p++) {
      RedisNode owner = cluster.ownerOf(keys.ids(p));
      if (nodes.add(owner.port())) names.add(keys.ids(p));
    }
    assertEquals(RedisCluster.SIZE, names.size(), "a key on every node");

    RedisLink link = RedisLink.create(vertx, config, StoreMetrics.NONE);
    try {
      List<Request> sets = new ArrayList<>();
      List<Request> gets = new ArrayList<>();
      for (String name : names) {
        sets.add(Request.cmd(Command.SET).arg(name).arg("v-" + name));
        gets.add(Request.cmd(Command.GET).arg(name));
      }
      await(link.batch(sets));
      List<Response> values = await(link.batch(gets));
      for (int i = 0; i < names.size(); i++) {
        assertEquals("v-" + names.get(i), values.get(i).toString());
      }
    } finally {
      await(link.close());
    }
  }

  /**
   * Many commands at once, over keys on every node, all answer: the client's pool must not run out
   * of connections with each caller holding some nodes' connections and waiting for the others'.
   */
  @Test
  void hundreds_of_concurrent_commands_on_every_node_all_answer(Vertx vertx) throws Exception {
    RedisConfig config = SharedRedisCluster.freshConfig();
    RedisKeys keys = new RedisKeys(config.keyPrefix());
    RedisLink link = RedisLink.create(vertx, config, StoreMetrics.NONE);
    try {
      for (int round = 0; round < 5; round++) {
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
          requests.add(Request.cmd(Command.SET).arg(keys.ids(i % 64) + ":" + i).arg("v"));
        }
        List<io.vertx.core.Future<?>> sent = new ArrayList<>();
        for (Request r : requests) sent.add(link.send(r));
        sent.add(link.batch(requests));
        io.vertx.core.Future.all(sent).await(30, TimeUnit.SECONDS);
      }
    } finally {
      await(link.close());
    }
  }
}
