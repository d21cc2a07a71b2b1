package dev.ferry.api.manage;

import dev.ferry.api.TokenAuth;
import dev.ferry.model.SigningKeys;
import dev.ferry.store.KeyRing;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v2/keys} and {@code POST /v2/keys/rotate}: the tenant's signing keys (current signs,
 * next is ready).
 */
public final class KeysHandler {
  private final KeyRing keys;

  public KeysHandler(KeyRing keys) {
    this.keys = keys;
  }

  public void mount(Router router) {
    router
        .get("/v2/keys")
        .handler(
            ctx ->
                keys.refresh(TokenAuth.tenant(ctx)) // another replica may have rotated them
                    .onSuccess(k -> respond(ctx, k))
                    .onFailure(ctx::fail));
    router
        .post("/v2/keys/rotate")
        .handler(
            ctx ->
                keys.rotate(TokenAuth.tenant(ctx))
                    .onSuccess(k -> respond(ctx, k))
                    .onFailure(ctx::fail));
  }

  private static void respond(RoutingContext ctx, SigningKeys k) {
    ctx.json(new JsonObject().put("current", k.current()).put("next", k.next()));
  }
}
