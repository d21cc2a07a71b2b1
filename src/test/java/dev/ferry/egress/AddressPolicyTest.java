package dev.ferry.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.FerryConfig;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SSRF address policy: the SSRF matrix (docs/architecture.md#the-ssrf-matrix), the allow/deny
 * lists and the metadata flag.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AddressPolicyTest {
  static final AddressPolicy DEFAULT = AddressPolicy.DEFAULT;
  static final AddressPolicy PUBLIC = policy("public", List.of(), List.of(), List.of(), false);

  /** Every literal form of the SSRF matrix that a URL can carry, and whether it is metadata. */
  static final List<String> METADATA_URLS =
      List.of(
          "http://169.254.169.254/latest/meta-data/",
          "http://[fd00:ec2::254]/",
          "http://[64:ff9b::a9fe:a9fe]/",
          "http://[2002:a9fe:a9fe::]/",
          "http://[::ffff:169.254.169.254]/",
          "http://[::ffff:a9fe:a9fe]/",
          "http://[::169.254.169.254]/",
          "http://[fe80::1]/",
          "http://169.254.0.1:8080/",
          "http://100.100.100.200/",
          "http://192.0.0.192/",
          "http://[2001:0:4136:e378:8000:63bf:5601:5601]/", // Teredo, client ~0x56015601 =
          // 169.254.169.254
          "http://[64:ff9b:1:a9fe:a9:fea9:fe00::]/"); // RFC 8215 local-use NAT64, /48 layout

  static final List<String> NON_PUBLIC_URLS =
      List.of(
          "http://127.0.0.1/",
          "http://127.255.0.9:99/",
          "http://0.0.0.0/",
          "http://[::1]/",
          "http://[::]/",
          "http://[::ffff:127.0.0.1]/",
          "http://10.1.2.3/",
          "http://172.16.0.1/",
          "http://172.31.255.255/",
          "http://192.168.1.1/",
          "http://100.64.0.1/",
          "http://100.127.255.255/",
          "http://192.0.0.8/",
          "http://192.0.2.1/",
          "http://198.18.0.1/",
          "http://198.19.255.255/",
          "http://198.51.100.7/",
          "http://203.0.113.9/",
          "http://224.0.0.1/",
          "http://240.0.0.1/",
          "http://255.255.255.255/",
          "http://192.88.99.1/",
          "http://[fc00::1]/",
          "http://[fd12:3456::1]/",
          "http://[fec0::1]/",
          "http://[ff02::1]/",
          "http://[100::1]/",
          "http://[2001:db8::1]/",
          "http://[3fff::1]/",
          "http://[5f00::1]/",
          "http://[64:ff9b::7f00:1]/",
          "http://[2002:7f00:1::]/",
          "http://[64:ff9b:1::1]/");
  static final List<String> PUBLIC_URLS =
      List.of(
          "http://8.8.8.8/",
          "https://1.1.1.1:8443/x",
          "http://172.32.0.1/",
          "http://100.128.0.1/",
          "http://169.253.255.255/",
          "http://[2606:4700::1111]/",
          "http://[64:ff9b::808:808]/",
          "http://11.0.0.1/",
          "http://192.169.0.1/");

  @Test
  void metadata_and_link_local_are_refused_in_every_mode() {
    for (String url : METADATA_URLS) {
      String why = DEFAULT.refusalOfUrl(url);
      assertNotNull(why, url);
      assertTrue(why.contains("never calls"), url + " → " + why);
      assertNotNull(PUBLIC.refusalOfUrl(url), url);
    }
  }

  @Test
  void mode_default_allows_private_loopback_and_public() {
    for (String url : NON_PUBLIC_URLS) assertNull(DEFAULT.refusalOfUrl(url), url);
    for (String url : PUBLIC_URLS) assertNull(DEFAULT.refusalOfUrl(url), url);
  }

  @Test
  void mode_public_refuses_every_non_public_range_and_allows_public_ones() {
    for (String url : NON_PUBLIC_URLS) {
      String why = PUBLIC.refusalOfUrl(url);
      assertNotNull(why, url);
      assertTrue(why.contains("not a public address"), url + " → " + why);
    }
    for (String url : PUBLIC_URLS) assertNull(PUBLIC.refusalOfUrl(url), url);
  }

  @Test
  void host_names_are_left_to_connect_time() {
    for (String url :
        List.of("http://localhost/", "http://metadata.google.internal/", "http://example.com/")) {
      assertNull(PUBLIC.refusalOfUrl(url), url);
    }
  }

  @Test
  void ambiguous_ipv4_forms_are_spotted() {
    for (String host :
        List.of(
            "2130706433",
            "0x7f.1",
            "017700000001",
            "127.1",
            "127.0.1",
            "127.000.0.1",
            "0177.0.0.1",
            "0x7f000001",
            "127.0.0.1.",
            "1.2.3.4.5",
            "0",
            "foo.0x10",
            "a.123")) {
      assertTrue(IpLiterals.isAmbiguousIpv4(host), host);
    }
    for (String host :
        List.of(
            "127.0.0.1",
            "255.255.255.255",
            "0.0.0.0",
            "example.com",
            "1a.example",
            "x0x1",
            "sub.123abc",
            "localhost",
            "metadata.google.internal")) {
      assertFalse(IpLiterals.isAmbiguousIpv4(host), host);
    }
  }

  @Test
  void allow_cidrs_and_hosts_open_non_public_addresses_in_mode_public_but_never_metadata() {
    AddressPolicy p =
        policy(
            "public",
            List.of("127.0.0.2/32", "10.20.0.0/16", "169.254.0.0/16", "fd00::/8"),
            List.of("hooks.internal", "Meta.Internal."),
            List.of(),
            false);
    assertNull(p.refusal("127.0.0.2", new byte[] {127, 0, 0, 2}));
    assertNull(p.refusal("x", new byte[] {10, 20, 7, 7}));
    assertNotNull(p.refusal("127.0.0.1", new byte[] {127, 0, 0, 1}));
    assertNotNull(p.refusal("x", new byte[] {10, 21, 0, 1}));
    assertNull(p.refusal("hooks.internal", new byte[] {127, 0, 0, 1}));
    assertNull(p.refusal("HOOKS.internal.", new byte[] {10, 0, 0, 1}));
    assertNotNull(p.refusal("hooks.internal.evil", new byte[] {10, 0, 0, 1}));
    // metadata stays refused although both lists name it
    assertNotNull(
        p.refusal("meta.internal", new byte[] {(byte) 169, (byte) 254, (byte) 169, (byte) 254}));
    assertNotNull(p.refusalOfUrl("http://[fd00:ec2::254]/"));
    assertNull(p.refusalOfUrl("http://[fd00::5]/"));
  }

  @Test
  void the_metadata_flag_lifts_the_absolute_block_only() {
    AddressPolicy lax = policy("default", List.of(), List.of(), List.of(), true);
    for (String url : METADATA_URLS) assertNull(lax.refusalOfUrl(url), url);
    AddressPolicy publicLax =
        policy("public", List.of(), List.of("meta.internal"), List.of(), true);
    assertNotNull(
        publicLax.refusalOfUrl("http://169.254.169.254/"),
        "public mode still wants an allow entry");
    assertNull(
        publicLax.refusal(
            "meta.internal", new byte[] {(byte) 169, (byte) 254, (byte) 169, (byte) 254}));
  }

  @Test
  void deny_cidrs_win_over_everything() {
    AddressPolicy p =
        policy(
            "public",
            List.of("10.0.0.0/8"),
            List.of("hooks.internal"),
            List.of("10.9.0.0/16", "8.8.8.8", "2606:4700::/32"),
            true);
    assertNotNull(p.refusal("hooks.internal", new byte[] {10, 9, 1, 1}));
    assertNull(p.refusal("hooks.internal", new byte[] {10, 8, 1, 1}));
    assertTrue(p.refusalOfUrl("http://8.8.8.8/").contains("denyCidrs"));
    assertTrue(
        p.refusalOfUrl("http://[::ffff:8.8.8.8]/").contains("denyCidrs"),
        "mapped form is unwrapped");
    assertNotNull(p.refusalOfUrl("http://[2606:4700::1111]/"));
    AddressPolicy d = policy("default", List.of(), List.of(), List.of("192.168.0.0/16"), false);
    assertNotNull(d.refusalOfUrl("http://192.168.3.3/"));
    assertNull(d.refusalOfUrl("http://192.169.3.3/"));
  }

  @Test
  void url_targets_read_host_port_and_literal() {
    UrlTarget t = UrlTarget.of("https://Example.COM/path?q=1");
    assertEquals("example.com", t.host());
    assertEquals(443, t.port());
    assertFalse(t.isLiteral());
    UrlTarget v6 = UrlTarget.of("http://[::1]:8080/x");
    assertEquals("::1", v6.host());
    assertEquals(8080, v6.port());
    assertEquals(16, v6.literal().length);
    UrlTarget v4 = UrlTarget.of("http://127.0.0.1:9/");
    assertEquals(0x7f000001, v4.v4());
    assertFalse(UrlTarget.of("http://[fe80::1%25eth0]/").valid(), "zone ids are not read");
    assertFalse(UrlTarget.of("http://u:p@host/").valid());
    assertFalse(UrlTarget.of("http://host:0/").valid());
    assertFalse(UrlTarget.of("no-scheme").valid());
  }

  @Test
  void the_allocation_free_ipv4_reader_agrees_with_the_full_one() {
    for (String url :
        List.of(
            "http://127.0.0.1:45105/hook?x=1",
            "http://127.0.0.1",
            "https://8.8.8.8/",
            "http://169.254.169.254#f",
            "http://10.0.0.1:65535?q",
            "http://255.255.255.255/")) {
      UrlTarget t = UrlTarget.of(url);
      assertEquals(t.v4(), (int) UrlTarget.plainIpv4(url), url);
    }
    for (String url :
        List.of(
            "http://127.0.0.1:0/",
            "http://127.0.0.1:65536/",
            "http://127.0.0.01/",
            "http://127.0.0.1./",
            "http://127.0.0/",
            "http://127.0.0.1.5/",
            "http://1270.0.0.1/",
            "http://[::1]/",
            "http://example.com/",
            "http://127.0.0.1:/",
            "http://127.0.0.1x/",
            "no-scheme",
            "http://u@127.0.0.1/")) {
      assertEquals(-1L, UrlTarget.plainIpv4(url), url);
    }
    assertTrue(DEFAULT.allowsAnyHost(0x7f000001));
    assertFalse(DEFAULT.allowsAnyHost(0xa9fea9fe));
    assertFalse(PUBLIC.allowsAnyHost(0x08080808), "mode public takes the full path (allowHosts)");
  }

  @Test
  void cidrs_parse_and_refuse_nonsense() {
    assertTrue(Cidr.parse("10.0.0.0/8").contains(new byte[] {10, (byte) 255, 0, 1}));
    assertTrue(Cidr.parse("10.1.2.3/8").contains(new byte[] {10, 0, 0, 0}), "host bits ignored");
    assertTrue(Cidr.parse("0.0.0.0/0").contains(new byte[] {1, 2, 3, 4}));
    assertFalse(Cidr.parse("0.0.0.0/0").contains(new byte[16]), "IPv4 blocks never match IPv6");
    assertTrue(Cidr.parse("[fd00::]/8").contains(IpLiterals.parse("fdff::1")));
    for (String bad :
        List.of(
            "10.0.0.0/33",
            "10.0.0/8",
            "host.example/8",
            "::/129",
            "10.0.0.0/",
            "10.0.0.0/-1",
            "fe80::1%eth0")) {
      assertThrows(IllegalArgumentException.class, () -> Cidr.parse(bad), bad);
    }
  }

  static AddressPolicy policy(
      String mode,
      List<String> allowCidrs,
      List<String> allowHosts,
      List<String> deny,
      boolean metadata) {
    return AddressPolicy.of(
        new FerryConfig.Destinations(mode, allowCidrs, allowHosts, deny, metadata));
  }
}
