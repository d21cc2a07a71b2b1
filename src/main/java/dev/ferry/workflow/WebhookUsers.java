package dev.ferry.workflow;

import dev.ferry.config.FerryConfig;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which tenant a webhook URL's user id names. The SDK takes the user id from its token, which it
 * reads as base64 of a JSON object with a {@code UserID} (the QStash token shape, and the dev
 * server's); so does Ferry, for each tenant token of that shape. Tokens of any other shape give no
 * user id: their tenants cannot use webhooks (the SDK cannot build the URL for them either).
 * Immutable.
 */
final class WebhookUsers {
  private final Map<String, String> tenantByUser = new HashMap<>();

  WebhookUsers(List<FerryConfig.Tenant> tenants) {
    for (FerryConfig.Tenant tenant : tenants) {
      for (String token : tenant.tokens()) {
        userId(token).ifPresent(user -> tenantByUser.putIfAbsent(user, tenant.name()));
      }
    }
  }

  Optional<String> tenant(String userId) {
    return Optional.ofNullable(tenantByUser.get(userId));
  }

  static Optional<String> userId(String token) {
    try {
      String json = new String(Base64.getDecoder().decode(token.trim()), StandardCharsets.UTF_8);
      if (!json.trim().startsWith("{")) return Optional.empty();
      Object user = new JsonObject(json).getValue("UserID");
      return user instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    } catch (RuntimeException e) { // not base64, not JSON: not a token of that shape
      return Optional.empty();
    }
  }
}
