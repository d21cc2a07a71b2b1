package dev.ferry.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ferry.model.AttemptResult;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertificateExpiredException;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * Each transport failure gets its own fault label, and the label is read back from the stored error
 * text.
 */
class AttemptFaultTest {

  private static AttemptFault classify(Throwable e) {
    return AttemptFault.ofError(AttemptFault.describe(e));
  }

  @Test
  void transport_failures_are_classified_by_their_cause_chain() {
    assertEquals(
        AttemptFault.REFUSED, classify(new ConnectException("Connection refused: /127.0.0.1:1")));
    assertEquals(AttemptFault.ERROR, classify(new ConnectException("No route to host")));
    assertEquals(
        AttemptFault.TIMEOUT,
        classify(new ConnectTimeoutException("connection timed out after 5000 ms")));
    assertEquals(AttemptFault.TIMEOUT, classify(new TimeoutException("deadline")));
    assertEquals(AttemptFault.DNS, classify(new UnknownHostException("nx.invalid")));
    assertEquals(AttemptFault.RESET, classify(new HttpClosedException("closed")));
    assertEquals(AttemptFault.RESET, classify(new IOException("Connection reset by peer")));
    assertEquals(AttemptFault.ERROR, classify(new IllegalStateException("odd")));
    SSLHandshakeException expired = new SSLHandshakeException("PKIX");
    expired.initCause(new CertificateExpiredException("NotAfter: 2020"));
    assertEquals("tls: certificate rejected: NotAfter: 2020", AttemptFault.describe(expired));
    assertEquals(
        "tls: handshake failed: no cipher suites in common",
        AttemptFault.describe(new SSLHandshakeException("no cipher suites in common")));
    // a TLS failure wrapped in a generic one is still a TLS failure
    assertEquals(
        AttemptFault.TLS,
        classify(new RuntimeException("wrapped", new SSLHandshakeException("x"))));
  }

  @Test
  void the_fault_is_read_back_from_a_result_and_responses_have_none() {
    assertEquals(
        AttemptFault.DNS,
        AttemptFault.of(new AttemptResult(0, Map.of(), null, "dns: cannot resolve", 1)));
    assertEquals(
        AttemptFault.ERROR,
        AttemptFault.of(new AttemptResult(0, Map.of(), null, "something new", 1)));
    assertEquals(
        AttemptFault.BLOCKED,
        AttemptFault.ofError("blocked: 169.254.169.254 is not called: metadata"));
    assertNull(AttemptFault.of(new AttemptResult(503, Map.of(), null, null, 1)));
  }

  @Test
  void long_messages_are_cut_to_keep_log_entries_small() {
    String text = AttemptFault.describe(new IllegalStateException("x".repeat(5000)));
    assertEquals("error: IllegalStateException: ".length() + 203, text.length());
  }
}
