package dev.ferry.delivery.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SignerTest {
  private static final String CURRENT = "sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r";
  private static final String NEXT = "sig_5ZB6DVzB1wjE8S6rZ7eenA8Pdnhs";
  private static final String URL = "https://example.com/api/hook?a=1&b=two";
  private static final long NOW = 1_900_000_000_999L;
  private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

  private final AtomicInteger counter = new AtomicInteger();
  private final Signer signer = new Signer(() -> "jwt_" + counter.incrementAndGet());

  private static JWTVerifier verifier(String key, long atMillis) {
    return ((JWTVerifier.BaseVerification)
            JWT.require(Algorithm.HMAC256(key)).withIssuer("Upstash"))
        .build(Clock.fixed(Instant.ofEpochMilli(atMillis), ZoneOffset.UTC));
  }

  private static String hmac(String key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] signature = mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
  }

  private static long iatOf(String token) {
    return JWT.decode(token).getClaim("iat").asLong();
  }

  @Test
  void header_is_exactly_hs256_jwt() {
    String token = signer.sign(CURRENT, URL, HELLO, NOW);
    String header = token.substring(0, token.indexOf('.'));
    assertEquals("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", header);
    assertEquals(
        "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
        new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8));
  }

  @Test
  void carries_every_claim_qstash_sets() {
    DecodedJWT jwt = JWT.decode(signer.sign(CURRENT, URL, HELLO, NOW));
    assertEquals("Upstash", jwt.getIssuer());
    assertEquals(URL, jwt.getSubject());
    assertEquals(1_900_000_000L, jwt.getClaim("iat").asLong());
    assertEquals(1_900_000_300L, jwt.getClaim("exp").asLong());
    assertEquals(0L, jwt.getClaim("nbf").asLong());
    assertEquals("jwt_1", jwt.getId());
    assertEquals("LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=", jwt.getClaim("body").asString());
    assertEquals(7, jwt.getClaims().size());
  }

  @Test
  void signature_is_hmac_sha256_keyed_with_the_key_string_bytes() throws Exception {
    String token = signer.sign(CURRENT, URL, HELLO, NOW);
    int lastDot = token.lastIndexOf('.');
    assertEquals(hmac(CURRENT, token.substring(0, lastDot)), token.substring(lastDot + 1));
  }

  @Test
  void non_ascii_keys_use_utf8_bytes() throws Exception {
    String key = "sig_\u00fc\u20ac";
    String token = signer.sign(key, URL, HELLO, NOW);
    int lastDot = token.lastIndexOf('.');
    assertEquals(hmac(key, token.substring(0, lastDot)), token.substring(lastDot + 1));
  }

  @Test
  void verifies_with_java_jwt_and_the_current_key() {
    DecodedJWT jwt = verifier(CURRENT, NOW + 1_000).verify(signer.sign(CURRENT, URL, HELLO, NOW));
    assertEquals(URL, jwt.getSubject());
  }

  @Test
  void verifies_with_real_time_and_the_default_verifier() {
    String token = signer.sign(CURRENT, URL, HELLO, System.currentTimeMillis());
    JWT.require(Algorithm.HMAC256(CURRENT))
        .withIssuer("Upstash")
        .withSubject(URL)
        .build()
        .verify(token);
  }

  @Test
  void does_not_verify_with_another_key() {
    String token = signer.sign(CURRENT, URL, HELLO, NOW);
    assertThrows(SignatureVerificationException.class, () -> verifier(NEXT, NOW).verify(token));
  }

  @Test
  void expires_after_five_minutes() {
    String token = signer.sign(CURRENT, URL, HELLO, NOW);
    verifier(CURRENT, 1_900_000_299_999L).verify(token);
    assertThrows(
        com.auth0.jwt.exceptions.TokenExpiredException.class,
        () -> verifier(CURRENT, 1_900_000_300_000L).verify(token));
  }

  @Test
  void body_claim_of_empty_and_null_bodies_is_the_empty_hash() {
    String emptyHash = "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU=";
    assertEquals(
        emptyHash,
        JWT.decode(signer.sign(CURRENT, URL, new byte[0], NOW)).getClaim("body").asString());
    assertEquals(
        emptyHash, JWT.decode(signer.sign(CURRENT, URL, null, NOW)).getClaim("body").asString());
  }

  @Test
  void body_claim_hashes_binary_bytes_untouched() throws Exception {
    byte[] body = new byte[256];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) i;
    }
    byte[] expected = MessageDigest.getInstance("SHA-256").digest(body);
    String claim = JWT.decode(signer.sign(CURRENT, URL, body, NOW)).getClaim("body").asString();
    assertEquals(Base64.getUrlEncoder().encodeToString(expected), claim);
    assertEquals(44, claim.length());
    assertTrue(claim.endsWith("="));
    assertTrue(claim.chars().noneMatch(c -> c == '+' || c == '/'));
  }

  @Test
  void body_hash_is_padded_base64url_of_sha256() {
    assertEquals("LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=", Signer.bodyHash(HELLO));
    assertEquals(44, Signer.bodyHash(new byte[] {(byte) 0xff}).length());
  }

  @Test
  void sub_is_the_exact_url_byte_for_byte() {
    String odd = "HTTPS://Example.com:8443/a%2Fb/../c?x={1}&y=%20&z";
    assertEquals(odd, JWT.decode(signer.sign(CURRENT, odd, HELLO, NOW)).getSubject());
  }

  @Test
  void every_token_gets_a_fresh_jti_and_timestamps() {
    DecodedJWT first = JWT.decode(signer.sign(CURRENT, URL, HELLO, NOW));
    DecodedJWT second = JWT.decode(signer.sign(CURRENT, URL, HELLO, NOW + 5_000));
    assertEquals("jwt_1", first.getId());
    assertEquals("jwt_2", second.getId());
    assertEquals(1_900_000_005L, second.getClaim("iat").asLong());
    assertNotEquals(first.getSignature(), second.getSignature());
  }

  @Test
  void iat_rounds_down_to_the_second() {
    assertEquals(1_900_000_000L, iatOf(signer.sign(CURRENT, URL, HELLO, 1_900_000_000_000L)));
    assertEquals(1_900_000_000L, iatOf(signer.sign(CURRENT, URL, HELLO, 1_900_000_000_999L)));
    assertEquals(-1L, iatOf(signer.sign(CURRENT, URL, HELLO, -1L)));
  }

  @Test
  void refuses_missing_key_or_url() {
    assertThrows(IllegalArgumentException.class, () -> signer.sign("", URL, HELLO, NOW));
    assertThrows(IllegalArgumentException.class, () -> signer.sign(null, URL, HELLO, NOW));
    assertThrows(NullPointerException.class, () -> signer.sign(CURRENT, null, HELLO, NOW));
    assertThrows(NullPointerException.class, () -> new Signer(null));
  }

  @Test
  void caches_one_algorithm_per_key_and_stays_bounded() {
    signer.sign(CURRENT, URL, HELLO, NOW);
    signer.sign(CURRENT, URL, HELLO, NOW);
    assertEquals(1, signer.cachedKeys());
    signer.sign(NEXT, URL, HELLO, NOW);
    assertEquals(2, signer.cachedKeys());
    for (int i = 0; i < Signer.MAX_CACHED_KEYS + 10; i++) {
      signer.sign("sig_" + i, URL, HELLO, NOW);
    }
    assertTrue(signer.cachedKeys() <= Signer.MAX_CACHED_KEYS, "cache size " + signer.cachedKeys());
  }

  @Test
  void signs_concurrently_from_many_threads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        byte[] body = ("body-" + t).getBytes(StandardCharsets.UTF_8);
        String key = t % 2 == 0 ? CURRENT : NEXT;
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 500; i++) {
                    DecodedJWT jwt = verifier(key, NOW).verify(signer.sign(key, URL, body, NOW));
                    if (!Signer.bodyHash(body).equals(jwt.getClaim("body").asString())) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> r : results) {
        assertTrue(r.get(30, TimeUnit.SECONDS));
      }
      assertEquals(2_000, counter.get());
    } finally {
      pool.shutdownNow();
    }
  }
}
