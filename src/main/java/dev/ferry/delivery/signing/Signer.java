package dev.ferry.delivery.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints the {@code Upstash-Signature} JWT for one outgoing request (docs/compatibility.md#signing),
 * exactly as QStash does, so the official SDK receivers verify it. Thread-safe; one instance shared
 * by all delivery verticles, called once per attempt (destination, callback, failure callback).
 *
 * <p>Token: header {@code {"alg":"HS256","typ":"JWT"}}; HMAC-SHA256 keyed with the signing-key
 * string's UTF-8 bytes (the {@code sig_...} string itself is the secret, not base64-decoded);
 * claims {@code iss = "Upstash"}, {@code sub} = the exact URL called, {@code iat} = now in seconds
 * (rounded down), {@code exp = iat + 300}, {@code nbf = 0} (QStash sets 0 since 2024-09 to avoid
 * clock-skew failures, and Python's verifier requires the claim), {@code jti} from the supplied
 * generator, and {@code body} = base64url of SHA-256(body) <em>with</em> {@code =} padding (unlike
 * the JWT parts themselves, which are unpadded).
 *
 * <p>Why not a JWT library here: this runs once per delivery attempt, and the general-purpose
 * builder we measured (java-jwt) looked up a new {@link Mac} per token, serialized claims through
 * Jackson and formatted strings — together a large share of the delivery path's CPU and allocation.
 * The token has one fixed shape, so it is written directly; {@code SignerTest} checks every token
 * with java-jwt's verifier and the SDK suite with the official {@code Receiver}. A {@link Mac} per
 * thread and key is kept (Macs are not thread-safe); the per-thread cache is cleared if it ever
 * holds more than {@link #MAX_CACHED_KEYS} keys (rotated keys simply fall out).
 */
public final class Signer {
  /** Token lifetime: {@code exp - iat}. */
  public static final long LIFETIME_SECONDS = 300;

  /**
   * Upper bound of cached keys per thread; with two keys per tenant that is 512 tenants before a
   * (harmless) reset.
   */
  static final int MAX_CACHED_KEYS = 1024;

  /** base64url({"alg":"HS256","typ":"JWT"}), the header java-jwt and QStash emit, byte for byte. */
  private static final String HEADER =
      Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

  private static final Base64.Encoder PART = Base64.getUrlEncoder().withoutPadding();
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(Signer::newSha256);

  private final Supplier<String> jwtIds;
  private final ThreadLocal<Map<String, Mac>> macs = ThreadLocal.withInitial(HashMap::new);

  /**
   * @param jwtIds source of unique {@code jti} values (in production {@code Ids::newJwtId})
   */
  public Signer(Supplier<String> jwtIds) {
    this.jwtIds = Objects.requireNonNull(jwtIds, "jwtIds");
  }

  /**
   * Returns the compact JWT for a request to {@code url} carrying {@code body}.
   *
   * @param signingKey the tenant's current signing key (non-empty)
   * @param url the exact URL the request goes to; becomes {@code sub}
   * @param body the exact body bytes sent; null is treated as empty
   * @param nowMillis Unix ms of signing
   */
  public String sign(String signingKey, String url, byte[] body, long nowMillis) {
    if (signingKey == null || signingKey.isEmpty()) {
      throw new IllegalArgumentException("signing key is empty");
    }
    Objects.requireNonNull(url, "url");
    long iat = Math.floorDiv(nowMillis, 1000L);
    StringBuilder claims =
        new StringBuilder(160 + url.length()).append("{\"iss\":\"Upstash\",\"sub\":");
    jsonString(claims, url);
    claims
        .append(",\"iat\":")
        .append(iat)
        .append(",\"exp\":")
        .append(iat + LIFETIME_SECONDS)
        .append(",\"nbf\":0,\"jti\":");
    jsonString(claims, jwtIds.get());
    claims.append(",\"body\":\"").append(bodyHash(body)).append("\"}");
    String signingInput =
        HEADER + '.' + PART.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    byte[] signature = mac(signingKey).doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + '.' + PART.encodeToString(signature);
  }

  /**
   * The {@code body} claim: base64url with padding of SHA-256({@code body}); also handy for debug
   * logs.
   */
  public static String bodyHash(byte[] body) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    byte[] hash = digest.digest(body == null ? new byte[0] : body);
    return Base64.getUrlEncoder()
        .encodeToString(hash); // URL-safe alphabet, padding kept on purpose
  }

  private Mac mac(String key) {
    Map<String, Mac> cache = macs.get();
    Mac mac = cache.get(key);
    if (mac != null) {
      return mac;
    }
    if (cache.size() >= MAX_CACHED_KEYS) {
      cache.clear();
    }
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JRE has HmacSHA256", e);
    }
    cache.put(key, mac);
    return mac;
  }

  /**
   * A JSON string literal: escapes quote, backslash and control characters (URLs are validated
   * ASCII anyway).
   */
  private static void jsonString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append("\\u00")
            .append(Character.forDigit(c >> 4, 16))
            .append(Character.forDigit(c & 0xF, 16));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  /** Number of keys cached for the calling thread; for tests. */
  int cachedKeys() {
    return macs.get().size();
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JRE has SHA-256", e);
    }
  }
}
