package dev.ferry.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.error.ApiException;
import org.junit.jupiter.api.Test;

class AddressCheckTest {
  private final AddressCheck check = new AddressCheck(dev.ferry.egress.AddressPolicy.DEFAULT);

  @Test
  void a_refused_literal_stays_refused_however_often_it_is_asked() {
    for (int i = 0; i < 3; i++) {
      ApiException e =
          assertThrows(
              ApiException.class,
              () -> check.url("http://169.254.169.254/latest/meta-data", "destination"));
      assertEquals(400, e.status());
      assertTrue(e.getMessage().startsWith("destination: "), e.getMessage());
    }
  }

  @Test
  void remembering_accepted_urls_never_lets_a_refused_one_through() {
    // more accepted URLs than are remembered, so the memory starts over at least once in between
    for (int i = 0; i < AddressCheck.MAX_REMEMBERED * 2 + 10; i++) {
      String url = "http://10.0.0." + (i % 250) + ":" + (1000 + i) + "/hook";
      assertDoesNotThrow(() -> check.url(url, "destination"));
      assertDoesNotThrow(() -> check.url(url, "destination"));
      if (i % 1000 == 0) {
        assertThrows(ApiException.class, () -> check.url("http://[fe80::1]/x", "Upstash-Callback"));
      }
    }
  }
}
