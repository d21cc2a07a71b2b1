package dev.ferry.store;

import static dev.ferry.store.StoreFixtures.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every store contract needs from a backend: a way to open it. Backends (embedded, Redis)
 * extend the contracts and implement only {@link #newStores}. Tests run on the JUnit thread and
 * wait with {@link StoreFixtures#await}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class StoresContract {
  private final List<Stores> opened = new ArrayList<>();

  /**
   * Opens the backend under test. Its storage is empty at the start of each test; calling this
   * again after the previous instance was closed must reopen the same storage, as a restarted
   * process would.
   */
  protected abstract Future<Stores> newStores(Vertx vertx);

  /** Opens the backend; messages built by {@link StoreFixtures} from now on get ids it places. */
  protected Stores open(Vertx vertx) {
    Stores stores = await(newStores(vertx));
    opened.add(stores);
    StoreFixtures.placeIdsWith(stores.messageIds());
    return stores;
  }

  /** Closes {@code stores} (pending writes complete first) and opens the same storage again. */
  protected Stores reopen(Vertx vertx, Stores stores) {
    await(stores.close());
    return open(vertx);
  }

  @AfterEach
  void close_every_opened_store() {
    StoreFixtures.placeIdsWith(MessageIds.AS_MINTED);
    StoreFixtures.mintDueTimeIds(false);
    for (Stores stores : opened) {
      await(stores.close()); // closing twice must be harmless
    }
  }
}
