package dev.ferry.delivery;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Mints the {@code Upstash-Signature} JWT for one outgoing request (spec 6.1), exactly as QStash does, so the
 * official SDK receivers verify it. Thread-safe; one instance shared by all delivery verticles, called once per
 * attempt (destination, callback, failure callback).
 *
 * <p>Token: header {@code {"alg":"HS256","typ":"JWT"}}; HMAC-SHA256 keyed with the signing-key string's UTF-8
 * bytes (the {@code sig_...} string itself is the secret, not base64-decoded); claims {@code iss = "Upstash"},
 * {@code sub} = the exact URL called, {@code iat} = now in seconds (rounded down), {@code exp = iat + 300},
 * {@code nbf = 0} (QStash sets 0 since 2024-09 to avoid clock-skew failures, and Python's verifier requires the
 * claim), {@code jti} from the supplied generator, and {@code body} = base64url of SHA-256(body) <em>with</em>
 * {@code =} padding (unlike the JWT parts themselves, which are unpadded).
 *
 * <p>Building an {@link Algorithm} per request would redo the key setup on the hot path, so instances are cached
 * per key string; the cache is cleared if it ever holds more than {@link #MAX_CACHED_KEYS} keys (rotated keys
 * simply fall out).
 */
public final class Signer {
  /** Token lifetime: {@code exp - iat}. */
  public static final long LIFETIME_SECONDS = 300;
  /** Upper bound of cached keys; with two keys per tenant that is 512 tenants before a (harmless) reset. */
  static final int MAX_CACHED_KEYS = 1024;

  private static final String ISSUER = "Upstash";
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Signer::newSha256);

  private final Supplier<String> jwtIds;
  private final Map<String, Algorithm> algorithms = new ConcurrentHashMap<>();

  /** @param jwtIds source of unique {@code jti} values (in production {@code Ids::newJwtId}) */
  public Signer(Supplier<String> jwtIds) {
    this.jwtIds = Objects.requireNonNull(jwtIds, "jwtIds");
  }

  /**
   * Returns the compact JWT for a request to {@code url} carrying {@code body}.
   *
   * @param signingKey the tenant's current signing key (non-empty)
   * @param url        the exact URL the request goes to; becomes {@code sub}
   * @param body       the exact body bytes sent; null is treated as empty
   * @param nowMillis  Unix ms of signing
   */
  public String sign(String signingKey, String url, byte[] body, long nowMillis) {
    if (signingKey == null || signingKey.isEmpty()) {
      throw new IllegalArgumentException("signing key is empty");
    }
    Objects.requireNonNull(url, "url");
    long iat = Math.floorDiv(nowMillis, 1000L);
    return JWT.create()
        .withIssuer(ISSUER)
        .withSubject(url)
        .withIssuedAt(Instant.ofEpochSecond(iat))
        .withExpiresAt(Instant.ofEpochSecond(iat + LIFETIME_SECONDS))
        .withNotBefore(Instant.EPOCH)
        .withJWTId(jwtIds.get())
        .withClaim("body", bodyHash(body))
        .sign(algorithm(signingKey));
  }

  /** The {@code body} claim: base64url with padding of SHA-256({@code body}); also handy for debug logs. */
  public static String bodyHash(byte[] body) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    byte[] hash = digest.digest(body == null ? new byte[0] : body);
    return Base64.getUrlEncoder().encodeToString(hash); // URL-safe alphabet, padding kept on purpose
  }

  private Algorithm algorithm(String key) {
    Algorithm cached = algorithms.get(key);
    if (cached != null) {
      return cached;
    }
    if (algorithms.size() >= MAX_CACHED_KEYS) {
      algorithms.clear();
    }
    return algorithms.computeIfAbsent(key, Algorithm::HMAC256); // HMAC256(String) uses the UTF-8 bytes
  }

  /** Number of cached keys; for tests. */
  int cachedKeys() {
    return algorithms.size();
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JRE has SHA-256", e);
    }
  }
}
