package dev.ferry.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --dev} profile: the port, users, tokens and signing keys of the official QStash dev
 * server ({@code qstash-cli dev}), so SDK dev mode and tutorials work unchanged; unlike that
 * server, data stays on disk. Applied by {@link ConfigLoader} on top of the config file and below
 * environment variables and flags.
 *
 * <p>Decision: the dev users <em>replace</em> the tenants of the config file. The shipped file's
 * tenant has no credentials, so keeping it would make {@code --dev} fail; and mixing real tenants
 * into a dev profile is surprising. A tenant can still be added next to the dev users by
 * environment ({@code FERRY_TENANTS_4_NAME}, ...). Likewise the port becomes 8080 even if the file
 * says otherwise; {@code FERRY_HTTP_PORT} and {@code --port} still win. Everything else (data
 * directory, limits, ...) comes from the file or the defaults as usual.
 */
public final class DevProfile {

  /** The dev server's port, which the SDKs' dev mode assumes. */
  public static final int PORT = 8080;

  // Verbatim from the dev server's start-up banner (docs/compatibility.md#the-dev-server). The JS
  // SDK checks /v2/keys against defaultUser's keys to detect a running dev server, so these must
  // match byte for byte.
  private static final List<FerryConfig.Tenant> TENANTS =
      List.of(
          tenant(
              "defaultUser",
              "eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=",
              "sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r",
              "sig_5ZB6DVzB1wjE8S6rZ7eenA8Pdnhs"),
          tenant(
              "testUser1",
              "eyJVc2VySUQiOiJ0ZXN0VXNlcjEiLCJQYXNzd29yZCI6InRlc3RQYXNzd29yZCJ9",
              "sig_7GVPjvuwsfqF65iC8fSrs1dfYruM",
              "sig_5NoELc3EFnZn4DVS5bDs2Nk4b7Ua"),
          tenant(
              "testUser2",
              "eyJVc2VySUQiOiJ0ZXN0VXNlcjIiLCJQYXNzd29yZCI6InRlc3RQYXNzd29yZCJ9",
              "sig_6jWGaWRxHsw4vMSPJprXadyvrybF",
              "sig_7qHbvhmahe5GwfePDiS5Lg3pi6Qx"),
          tenant(
              "testUser3",
              "eyJVc2VySUQiOiJ0ZXN0VXNlcjMiLCJQYXNzd29yZCI6InRlc3RQYXNzd29yZCJ9",
              "sig_5T8FcSsynBjn9mMLBsXhpacRovJf",
              "sig_7GFR4YaDshFcqsxWRZpRB161jguD"));

  private DevProfile() {}

  /**
   * defaultUser, testUser1, testUser2, testUser3, in that order (Main may print them, as the dev
   * server does).
   */
  public static List<FerryConfig.Tenant> tenants() {
    return TENANTS;
  }

  /** A copy of {@code tree} with the dev port and the dev users in place of its tenants. */
  static JsonObject applyTo(JsonObject tree) {
    JsonObject dev = tree.copy();
    dev.getJsonObject("http").put("port", PORT);
    JsonArray tenants = new JsonArray();
    for (FerryConfig.Tenant tenant : TENANTS) {
      tenants.add(
          new JsonObject()
              .put("name", tenant.name())
              .put("tokens", new JsonArray(new ArrayList<>(tenant.tokens())))
              .put("currentSigningKey", tenant.currentSigningKey())
              .put("nextSigningKey", tenant.nextSigningKey()));
    }
    return dev.put("tenants", tenants);
  }

  private static FerryConfig.Tenant tenant(String name, String token, String current, String next) {
    return new FerryConfig.Tenant(name, List.of(token), current, next);
  }
}
