package dev.ferry.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** Small config trees and environments shared by the config tests. */
final class TestTrees {

  static final Map<String, String> SHIPPED_SECRETS =
      Map.of(
          "FERRY_TENANTS_0_TOKENS", "tok-a",
          "FERRY_TENANTS_0_CURRENT_SIGNING_KEY", "sig_current",
          "FERRY_TENANTS_0_NEXT_SIGNING_KEY", "sig_next");

  private TestTrees() {}

  static JsonObject tenant(String name, String... tokens) {
    return new JsonObject()
        .put("name", name)
        .put("tokens", new JsonArray(java.util.List.of((Object[]) tokens)))
        .put("currentSigningKey", "sig_cur_" + name)
        .put("nextSigningKey", "sig_next_" + name);
  }

  /** A minimal valid tree: one tenant, everything else default. */
  static JsonObject withTenants(JsonObject... tenants) {
    return new JsonObject().put("tenants", new JsonArray(java.util.List.of((Object[]) tenants)));
  }

  static JsonObject valid() {
    return withTenants(tenant("acme", "token-acme"));
  }
}
