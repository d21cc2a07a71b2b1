package dev.ferry.api;

import dev.ferry.config.FerryConfig;
import dev.ferry.error.ApiException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Authenticates every API request by bearer token ({@code Authorization: Bearer} or {@code
 * ?qstash_token=}) and puts the tenant name on the context. Tokens are kept only as SHA-256 digests
 * and compared with {@link MessageDigest#isEqual}, so neither memory nor timing reveals them.
 */
public final class TokenAuth implements Handler<RoutingContext> {
  public static final String TENANT = "ferry.tenant";
  private static final String QUERY_TOKEN = "qstash_token";

  /**
   * One digest per thread: looking one up by name for every request was a third of this handler's
   * time.
   */
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(TokenAuth::newSha256);

  private final Map<ByteBuffer, Entry> byDigest =
      new HashMap<>(); // keyed by the digest's bytes, no hex string

  private record Entry(byte[] digest, String tenant) {}

  public TokenAuth(List<FerryConfig.Tenant> tenants) {
    for (FerryConfig.Tenant tenant : tenants) {
      for (String token : tenant.tokens()) {
        byte[] digest = sha256(token);
        byDigest.put(ByteBuffer.wrap(digest), new Entry(digest, tenant.name()));
      }
    }
  }

  /** The tenant of the request (set by this handler). */
  public static String tenant(RoutingContext ctx) {
    return ctx.get(TENANT);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String token = tokenOf(ctx);
    String tenant = token == null ? null : tenantOf(token);
    if (tenant == null) {
      ctx.fail(
          ApiException.unauthorized(
              token == null
                  ? "missing authorization: send 'Authorization: Bearer <token>'"
                  : "invalid token"));
      return;
    }
    ctx.put(TENANT, tenant);
    ctx.next();
  }

  private String tenantOf(String token) {
    byte[] digest = sha256(token);
    Entry entry = byDigest.get(ByteBuffer.wrap(digest));
    return entry != null && MessageDigest.isEqual(entry.digest(), digest) ? entry.tenant() : null;
  }

  private static String tokenOf(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header != null) {
      String trimmed = header.trim();
      if (trimmed.regionMatches(true, 0, "Bearer ", 0, 7)) {
        String token = trimmed.substring(7).trim();
        return token.isEmpty() ? null : token;
      }
    }
    String query = queryToken(ctx.request().query());
    return query == null || query.isEmpty() ? null : query;
  }

  /**
   * The {@code qstash_token} query parameter, decoded like {@code DestinationPath} does: %XX
   * escapes only, a {@code +} stays a plus (tokens are base64, and form decoding would turn it into
   * a space).
   */
  private static String queryToken(String query) {
    if (query == null) return null;
    for (String param : query.split("&")) {
      int eq = param.indexOf('=');
      if (eq > 0 && param.substring(0, eq).equalsIgnoreCase(QUERY_TOKEN)) {
        try {
          return URLDecoder.decode(
              param.substring(eq + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
          return null;
        }
      }
    }
    return null;
  }

  private static byte[] sha256(String token) {
    return SHA256.get().digest(token.getBytes(StandardCharsets.UTF_8)); // digest() also resets it
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
