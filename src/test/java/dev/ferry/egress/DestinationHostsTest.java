package dev.ferry.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A destination's metric and log label is its bare host: nothing that may carry a secret. */
class DestinationHostsTest {
  @Test
  void labelDropsSchemeUserInfoPortPathAndQuery() {
    assertEquals(
        "api.example.com", DestinationHosts.of("https://user:pw@Api.Example.com:8443/x?token=1"));
    assertEquals("[::1]", DestinationHosts.of("http://[::1]:8080/p"));
    assertEquals("example.com", DestinationHosts.of("example.com/path#frag"));
    assertEquals(DestinationHosts.UNKNOWN, DestinationHosts.of("https:///path"));
    assertEquals(DestinationHosts.UNKNOWN, DestinationHosts.of(null));
  }

  @Test
  void labelAndCallAgreeOnTheHost() {
    for (String url :
        new String[] {"http://h.example:81#x", "https://H.example?q=1", "http://10.0.0.1/p"}) {
      assertEquals(UrlTarget.of(url).host(), DestinationHosts.of(url), url);
    }
  }
}
