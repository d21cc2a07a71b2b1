package dev.ferry.tools;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.delivery.signing.Signer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureCheckTest {
  private static final String CURRENT = "sig_benchCurrent";
  private static final String NEXT = "sig_benchNext";
  private static final String URL = "http://127.0.0.1:9000/hook?a=1";
  private static final byte[] BODY = "hello".getBytes(StandardCharsets.UTF_8);

  private final Signer signer = new Signer(() -> "jwt_test");
  private final SignatureCheck check = new SignatureCheck(List.of(CURRENT, NEXT));

  @Test
  void accepts_what_ferry_signs_with_the_current_or_the_next_key() {
    long now = System.currentTimeMillis();
    assertTrue(check.verify(signer.sign(CURRENT, URL, BODY, now), URL, BODY));
    assertTrue(check.verify(signer.sign(NEXT, URL, BODY, now), URL, BODY));
  }

  @Test
  void refuses_another_url_body_or_key_and_a_missing_signature() {
    long now = System.currentTimeMillis();
    String token = signer.sign(CURRENT, URL, BODY, now);
    assertFalse(check.verify(token, URL + "&b=2", BODY));
    assertFalse(check.verify(token, URL, "hellO".getBytes(StandardCharsets.UTF_8)));
    assertFalse(check.verify(signer.sign("sig_other", URL, BODY, now), URL, BODY));
    assertFalse(check.verify(null, URL, BODY));
    assertFalse(check.verify("not.a.jwt", URL, BODY));
  }

  @Test
  void refuses_an_expired_signature() {
    long longAgo = System.currentTimeMillis() - 3_600_000;
    assertFalse(check.verify(signer.sign(CURRENT, URL, BODY, longAgo), URL, BODY));
  }

  @Test
  void needs_a_key() {
    assertThrows(IllegalArgumentException.class, () -> new SignatureCheck(List.of("", " ")));
  }
}
