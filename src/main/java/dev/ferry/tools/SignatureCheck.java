package dev.ferry.tools;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import dev.ferry.delivery.signing.Signer;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies an {@code Upstash-Signature} as the official SDK receivers do: an HS256 JWT under the
 * current or the next signing key, issuer {@code Upstash}, subject the exact URL called, not
 * expired, and a {@code body} claim equal to the base64url SHA-256 of the body received.
 * Thread-safe; used by the sink.
 */
public final class SignatureCheck {
  private final List<JWTVerifier> verifiers = new ArrayList<>();

  /**
   * @param keys the signing keys to accept (blank ones are ignored)
   */
  public SignatureCheck(List<String> keys) {
    for (String key : keys) {
      if (key != null && !key.isBlank()) {
        verifiers.add(
            JWT.require(Algorithm.HMAC256(key)).withIssuer("Upstash").acceptLeeway(5).build());
      }
    }
    if (verifiers.isEmpty()) throw new IllegalArgumentException("no signing key to verify with");
  }

  /**
   * True when {@code token} is a valid signature of a request to {@code url} carrying {@code body}.
   */
  public boolean verify(String token, String url, byte[] body) {
    if (token == null || token.isEmpty()) return false;
    String hash = Signer.bodyHash(body);
    for (JWTVerifier verifier : verifiers) {
      try {
        var jwt = verifier.verify(token);
        return url.equals(jwt.getSubject()) && hash.equals(jwt.getClaim("body").asString());
      } catch (JWTVerificationException e) {
        // not signed with this key (or invalid): try the next one
      }
    }
    return false;
  }
}
