package dev.ferry.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SinkOptionsTest {

  @Test
  void flags_take_their_value_after_a_space_or_an_equals_sign() {
    SinkServer.Options o =
        SinkServer.Options.parse(
            new String[] {
              "--port",
              "9090",
              "--current-signing-key=sig_a",
              "--next-signing-key",
              "sig_b",
              "--host=0.0.0.0",
              "--instances",
              "3"
            });
    assertEquals(9090, o.port);
    assertEquals("sig_a", o.currentKey);
    assertEquals("sig_b", o.nextKey);
    assertEquals("0.0.0.0", o.host);
    assertEquals(3, o.instances);
  }

  @Test
  void binds_loopback_unless_told_otherwise() {
    assertEquals("127.0.0.1", SinkServer.Options.parse(new String[] {"--port", "1"}).host);
  }

  @Test
  void a_port_is_required_and_unknown_flags_are_refused() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> SinkServer.Options.parse(new String[0]))
            .getMessage()
            .contains("--port"));
    assertThrows(
        IllegalArgumentException.class,
        () -> SinkServer.Options.parse(new String[] {"--port", "0"}));
    assertThrows(
        IllegalArgumentException.class,
        () -> SinkServer.Options.parse(new String[] {"--port", "1", "--verbose"}));
    assertTrue(SinkServer.Options.parse(new String[] {"--help"}).help);
  }
}
