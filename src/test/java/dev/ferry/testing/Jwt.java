package dev.ferry.testing;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Verifies an {@code Upstash-Signature} the way the SDK {@code Receiver} does (key, issuer, sub,
 * body hash).
 */
public final class Jwt {
  private Jwt() {}

  public static DecodedJWT verify(String token, String key, String url, byte[] body)
      throws Exception {
    DecodedJWT jwt =
        JWT.require(Algorithm.HMAC256(key))
            .withIssuer("Upstash")
            .withSubject(url)
            .build()
            .verify(token);
    String expected =
        Base64.getUrlEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
    String claim = jwt.getClaim("body").asString();
    if (!expected.equals(claim))
      throw new AssertionError("body claim " + claim + " != " + expected);
    return jwt;
  }
}
