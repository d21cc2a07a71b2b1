package dev.ferry.store;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.model.Endpoint;
import dev.ferry.model.Queue;
import dev.ferry.model.SigningKeys;
import dev.ferry.model.UrlGroup;
import dev.ferry.store.SigningKeyStore.StoredKeys;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link QueueStore}, {@link UrlGroupStore} and {@link SigningKeyStore} must
 * have.
 */
public abstract class MetadataStoreContract extends StoresContract {

  @Test
  void queue_put_get_and_replace(Vertx vertx) {
    QueueStore queues = open(vertx).queues();
    Queue q = new Queue("acme", "orders", 1, false, T0, T0);
    await(queues.put(q));
    assertEquals(Optional.of(q), await(queues.get("acme", "orders")));
    Queue paused = new Queue("acme", "orders", 4, true, T0, T0 + 1);
    await(queues.put(paused));
    assertEquals(Optional.of(paused), await(queues.get("acme", "orders")));
    assertEquals(Optional.empty(), await(queues.get("globex", "orders")));
  }

  @Test
  void queues_list_per_tenant_by_name_and_all_together(Vertx vertx) {
    QueueStore queues = open(vertx).queues();
    Queue b = new Queue("acme", "b", 1, false, T0, T0);
    Queue a = new Queue("acme", "a", 1, false, T0, T0);
    Queue other = new Queue("acme-corp", "a", 2, false, T0, T0);
    await(queues.put(b));
    await(queues.put(other));
    await(queues.put(a));
    assertEquals(List.of(a, b), await(queues.list("acme")));
    assertEquals(List.of(other), await(queues.list("acme-corp")));
    assertEquals(List.of(), await(queues.list("nobody")));
    List<Queue> all = await(queues.listAll());
    assertEquals(3, all.size());
    assertTrue(all.containsAll(List.of(a, b, other)));
  }

  @Test
  void queue_delete_says_whether_it_was_there(Vertx vertx) {
    QueueStore queues = open(vertx).queues();
    await(queues.put(new Queue("acme", "orders", 1, false, T0, T0)));
    assertTrue(await(queues.delete("acme", "orders")));
    assertFalse(await(queues.delete("acme", "orders")));
    assertEquals(Optional.empty(), await(queues.get("acme", "orders")));
    assertEquals(List.of(), await(queues.list("acme")));
  }

  @Test
  void url_group_put_get_list_and_delete(Vertx vertx) {
    UrlGroupStore groups = open(vertx).urlGroups();
    UrlGroup orders =
        new UrlGroup(
            "acme",
            "orders",
            T0,
            T0,
            List.of(
                new Endpoint("billing", "https://b.example/hook"),
                new Endpoint(null, "https://s.example/")));
    UrlGroup audit = new UrlGroup("acme", "audit", T0, T0, List.of());
    await(groups.put(orders));
    await(groups.put(audit));
    assertEquals(Optional.of(orders), await(groups.get("acme", "orders")));
    assertEquals(List.of(audit, orders), await(groups.list("acme")));
    assertEquals(Optional.empty(), await(groups.get("globex", "orders")));

    UrlGroup grown =
        new UrlGroup(
            "acme", "orders", T0, T0 + 5, List.of(new Endpoint("x", "https://x.example/")));
    await(groups.put(grown));
    assertEquals(Optional.of(grown), await(groups.get("acme", "orders")));
    assertTrue(await(groups.delete("acme", "orders")));
    assertFalse(await(groups.delete("acme", "orders")));
    assertEquals(List.of(audit), await(groups.list("acme")));
  }

  @Test
  void signing_keys_put_and_get(Vertx vertx) {
    SigningKeyStore keys = open(vertx).signingKeys();
    assertEquals(Optional.empty(), await(keys.get("acme")));
    StoredKeys first =
        new StoredKeys(new SigningKeys("sig_a", "sig_b"), new SigningKeys("sig_a", "sig_b"));
    await(keys.put("acme", first));
    assertEquals(Optional.of(first), await(keys.get("acme")));
    StoredKeys rotated =
        new StoredKeys(new SigningKeys("sig_a", "sig_b"), new SigningKeys("sig_b", "sig_c"));
    await(keys.put("acme", rotated));
    assertEquals(Optional.of(rotated), await(keys.get("acme")));
    assertEquals(Optional.empty(), await(keys.get("globex")));
  }

  @Test
  void metadata_survives_close_and_reopen(Vertx vertx) {
    Stores stores = open(vertx);
    Queue q = new Queue("acme", "orders", 3, true, T0, T0 + 1);
    UrlGroup g =
        new UrlGroup("acme", "fanout", T0, T0, List.of(new Endpoint("one", "https://1.example/")));
    StoredKeys k = new StoredKeys(new SigningKeys("c1", "n1"), new SigningKeys("c2", "n2"));
    await(stores.queues().put(q));
    await(stores.queues().put(new Queue("acme", "gone", 1, false, T0, T0)));
    await(stores.queues().delete("acme", "gone"));
    await(stores.urlGroups().put(g));
    await(stores.signingKeys().put("acme", k));

    Stores reopened = reopen(vertx, stores);

    assertEquals(List.of(q), await(reopened.queues().listAll()));
    assertEquals(List.of(g), await(reopened.urlGroups().list("acme")));
    assertEquals(Optional.of(k), await(reopened.signingKeys().get("acme")));
  }
}
