package dev.ferry.store.redis;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.RedisConfig;
import dev.ferry.model.Message;
import dev.ferry.store.MessageIds;
import dev.ferry.store.OwnershipLostException;
import dev.ferry.store.StoreFixtures;
import dev.ferry.store.StoreMetrics;
import dev.ferry.store.StoreUnavailableException;
import dev.ferry.testing.Polls;
import dev.ferry.testing.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.impl.types.ErrorType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code waitReplicas: 1} on a real primary and replica: a write completes once the replica has it,
 * fails with a 503 while no replica acknowledges it, and still works after the primary forgot the
 * scripts (a restart or a newly promoted primary), where the write and its {@code WAIT} go as one
 * batch whose errors the client reports line by line.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisWaitReplicasTest {
  private RedisServer primary;
  private RedisServer replica;
  private RedisStores stores;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    // no pause before the replica's first sync (Redis waits 5 s for more replicas by default)
    primary = RedisServer.start("--repl-diskless-sync-delay", "0");
    replica = RedisServer.start("--replicaof", "127.0.0.1", String.valueOf(primary.port()));
    Polls.waitUpTo(
        Duration.ofSeconds(20),
        () -> primary.command("WAIT 1 100").equals(":1")); // the replica is connected
    RedisConfig config =
        RedisConfig.DEFAULTS.withEndpoints(List.of(primary.url())).withWaitReplicas(1);
    stores = await(RedisStores.open(vertx, config, StoreMetrics.NONE));
    StoreFixtures.placeIdsWith(stores.messageIds());
  }

  @AfterEach
  void stop() throws Exception {
    StoreFixtures.placeIdsWith(MessageIds.AS_MINTED);
    if (stores != null) await(stores.close());
    replica.kill(); // first, so that the primary's shutdown does not wait for it
    primary.close();
  }

  @Test
  void a_write_is_acknowledged_once_the_replica_has_it_even_after_the_scripts_were_flushed()
      throws Exception {
    Message before = StoreFixtures.message("acme", T0);
    await(stores.messages().append(List.of(before)));
    assertEquals("+OK", primary.command("SCRIPT FLUSH"));

    Message after = StoreFixtures.message("acme", T0);
    await(stores.messages().append(List.of(after)));
    assertEquals(2, await(stores.messages().findAll(List.of(before.id(), after.id()))).size());
  }

  @Test
  void a_write_no_replica_acknowledges_fails_with_a_503() throws Exception {
    replica.kill();
    Message m = StoreFixtures.message("acme", T0);
    StoreUnavailableException e =
        assertThrows(
            StoreUnavailableException.class, () -> await(stores.messages().append(List.of(m))));
    assertTrue(e.getMessage().contains("0 of 1 Redis replicas"), e.getMessage());
  }

  @Test
  void errors_of_a_batch_are_read_line_by_line() {
    // what the client reports when a write and its WAIT fail as one batch
    assertInstanceOf(
        StoreUnavailableException.class,
        RedisLink.mapped(ErrorType.create("ERR [1] java.net.SocketException: Connection reset")));
    assertInstanceOf(
        StoreUnavailableException.class,
        RedisLink.mapped(ErrorType.create("ERR [0] READONLY You can't write against a replica.")));
    assertInstanceOf(
        StoreUnavailableException.class, RedisLink.mapped(ErrorType.create("CONNECTION_CLOSED")));
    assertInstanceOf(
        OwnershipLostException.class,
        RedisLink.mapped(ErrorType.create("ERR [0] FENCED the partition passed on")));
    // a command Redis refuses is a bug, not an outage: it stays what it is (a 500)
    ErrorType wrong = ErrorType.create("ERR [0] unknown command 'NOPE'");
    assertSame(wrong, RedisLink.mapped(wrong));
  }
}
