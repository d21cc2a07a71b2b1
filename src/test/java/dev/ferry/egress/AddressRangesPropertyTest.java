package dev.ferry.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of the address classifier: no IPv6 wrapping of an IPv4 address changes what it is
 * allowed to reach.
 */
class AddressRangesPropertyTest {
  private static final List<Cidr> METADATA =
      List.of(
          Cidr.parse("169.254.0.0/16"), Cidr.parse("100.100.100.200"), Cidr.parse("192.0.0.192"));
  private static final List<Cidr> NON_PUBLIC =
      List.of(
              "0.0.0.0/8",
              "10.0.0.0/8",
              "100.64.0.0/10",
              "127.0.0.0/8",
              "172.16.0.0/12",
              "192.0.0.0/24",
              "192.0.2.0/24",
              "192.88.99.0/24",
              "192.168.0.0/16",
              "198.18.0.0/15",
              "198.51.100.0/24",
              "203.0.113.0/24",
              "224.0.0.0/4",
              "240.0.0.0/4")
          .stream()
          .map(Cidr::parse)
          .toList();

  @Property
  void ipv4_kind_matches_the_reference_lists(@ForAll int v4) {
    byte[] b = AddressRanges.bytes(v4);
    AddressRanges.Kind expected =
        METADATA.stream().anyMatch(c -> c.contains(b))
            ? AddressRanges.Kind.METADATA
            : NON_PUBLIC.stream().anyMatch(c -> c.contains(b))
                ? AddressRanges.Kind.NON_PUBLIC
                : AddressRanges.Kind.PUBLIC;
    assertEquals(expected, AddressRanges.classify(v4).kind());
  }

  @Property
  void link_local_stays_metadata_in_every_ipv6_wrapping(
      @ForAll @IntRange(min = 0, max = 0xffff) int low) {
    int v4 = 0xa9fe0000 | low; // 169.254.x.y
    for (byte[] wrapped : wrappings(v4)) {
      assertEquals(
          AddressRanges.Kind.METADATA, AddressRanges.classify(wrapped).kind(), hex(wrapped));
    }
  }

  @Property
  void mapped_translated_and_nat64_forms_classify_as_their_ipv4_address(@ForAll int v4) {
    AddressRanges.Kind plain = AddressRanges.classify(v4).kind();
    assertEquals(plain, AddressRanges.classify(mapped(v4, 0xff, 0xff, 10)).kind());
    assertEquals(plain, AddressRanges.classify(nat64(v4)).kind());
    // tunnelled forms are never public, whatever they carry
    assertTrue(AddressRanges.classify(sixToFour(v4)).kind() != AddressRanges.Kind.PUBLIC);
  }

  @Property
  void canonical_dotted_quads_parse_and_other_numeric_forms_are_ambiguous(@ForAll int v4) {
    String dotted =
        ((v4 >>> 24) & 0xff)
            + "."
            + ((v4 >>> 16) & 0xff)
            + "."
            + ((v4 >>> 8) & 0xff)
            + "."
            + (v4 & 0xff);
    assertEquals(v4, AddressRanges.toInt(IpLiterals.parse(dotted), 0));
    assertTrue(!IpLiterals.isAmbiguousIpv4(dotted));
    assertTrue(IpLiterals.isAmbiguousIpv4(Long.toString(v4 & 0xffffffffL)));
    assertTrue(IpLiterals.isAmbiguousIpv4("0x" + Integer.toHexString(v4)));
    assertTrue(IpLiterals.isAmbiguousIpv4("0" + Long.toOctalString(v4 & 0xffffffffL)));
    assertTrue(IpLiterals.isAmbiguousIpv4(dotted + "."));
  }

  @Property
  void cidr_contains_agrees_with_arithmetic(
      @ForAll int network, @ForAll @IntRange(min = 0, max = 32) int prefix, @ForAll int address) {
    Cidr cidr = Cidr.parse(IpLiteralsText.v4(network) + "/" + prefix);
    int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
    assertEquals((network & mask) == (address & mask), cidr.contains(AddressRanges.bytes(address)));
  }

  private static List<byte[]> wrappings(int v4) {
    byte[] teredo = new byte[16];
    teredo[0] = 0x20;
    teredo[1] = 0x01;
    put(teredo, 4, 0x04010203); // some Teredo server
    put(teredo, 12, ~v4); // client address, inverted as Teredo stores it
    byte[] teredoServer = teredo.clone();
    put(teredoServer, 4, v4);
    put(teredoServer, 12, 0);
    byte[] compat = new byte[16];
    put(compat, 12, v4);
    return List.of(
        mapped(v4, 0xff, 0xff, 10),
        mapped(v4, 0xff, 0xff, 8),
        nat64(v4),
        sixToFour(v4),
        teredo,
        teredoServer,
        compat);
  }

  /** {@code ::ffff:a.b.c.d} (at = 10) or {@code ::ffff:0:a.b.c.d} (at = 8). */
  private static byte[] mapped(int v4, int f1, int f2, int at) {
    byte[] a = new byte[16];
    a[at] = (byte) f1;
    a[at + 1] = (byte) f2;
    put(a, 12, v4);
    return a;
  }

  private static byte[] nat64(int v4) {
    byte[] a = new byte[16];
    a[1] = 0x64;
    a[2] = (byte) 0xff;
    a[3] = (byte) 0x9b;
    put(a, 12, v4);
    return a;
  }

  private static byte[] sixToFour(int v4) {
    byte[] a = new byte[16];
    a[0] = 0x20;
    a[1] = 0x02;
    put(a, 2, v4);
    return a;
  }

  private static void put(byte[] a, int at, int v4) {
    System.arraycopy(AddressRanges.bytes(v4), 0, a, at, 4);
  }

  private static String hex(byte[] a) {
    StringBuilder s = new StringBuilder();
    for (byte b : a) s.append(String.format("%02x", b));
    return s.toString();
  }

  /** Dotted-quad text of an int. */
  private static final class IpLiteralsText {
    static String v4(int v) {
      return ((v >>> 24) & 0xff)
          + "."
          + ((v >>> 16) & 0xff)
          + "."
          + ((v >>> 8) & 0xff)
          + "."
          + (v & 0xff);
    }
  }
}
