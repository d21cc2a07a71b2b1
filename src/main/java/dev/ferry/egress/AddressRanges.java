package dev.ferry.egress;

/**
 * Which kind of address an IP is, for SSRF decisions: a cloud-metadata or link-local address (never
 * called unless the operator says so), another non-public address (private, loopback, shared,
 * reserved, documentation, multicast…: blocked in "public" mode), or a public one. IPv4 embedded in
 * IPv6 is unwrapped (IPv4-mapped {@code ::ffff:0:0/96}, IPv4-translated {@code ::ffff:0:0:0/96},
 * IPv4-compatible {@code ::/96}, NAT64 {@code 64:ff9b::/96} and {@code 64:ff9b:1::/48}, 6to4 {@code
 * 2002::/16}, Teredo {@code 2001::/32}), so no wrapping reaches metadata. The ranges follow Svix's
 * and Convoy's lists and the IANA special-purpose registries. Pure, allocation-free for IPv4.
 */
public final class AddressRanges {
  /** What an address is. */
  public enum Kind {
    PUBLIC,
    NON_PUBLIC,
    METADATA
  }

  /** A classification: its kind and a short text naming the range, for error messages. */
  public record Classified(Kind kind, String range) {
    static final Classified PUBLIC = new Classified(Kind.PUBLIC, "public");
  }

  private record V4(int network, int mask, Classified what) {}

  private record V6(Cidr block, Classified what) {}

  // Cloud metadata endpoints that are not link-local: Alibaba Cloud and Oracle Cloud (AWS/GCP/Azure
  // use 169.254.169.254).
  private static final V4[] METADATA_V4 = {
    v4("169.254.0.0", 16, Kind.METADATA, "link-local / cloud metadata 169.254.0.0/16"),
    v4("100.100.100.200", 32, Kind.METADATA, "cloud metadata (Alibaba) 100.100.100.200"),
    v4("192.0.0.192", 32, Kind.METADATA, "cloud metadata (Oracle) 192.0.0.192"),
  };

  private static final V4[] NON_PUBLIC_V4 = {
    v4("0.0.0.0", 8, Kind.NON_PUBLIC, "\"this network\" 0.0.0.0/8"),
    v4("10.0.0.0", 8, Kind.NON_PUBLIC, "private 10.0.0.0/8"),
    v4("100.64.0.0", 10, Kind.NON_PUBLIC, "shared address space (CGNAT) 100.64.0.0/10"),
    v4("127.0.0.0", 8, Kind.NON_PUBLIC, "loopback 127.0.0.0/8"),
    v4("172.16.0.0", 12, Kind.NON_PUBLIC, "private 172.16.0.0/12"),
    v4("192.0.0.0", 24, Kind.NON_PUBLIC, "IETF protocol assignments 192.0.0.0/24"),
    v4("192.0.2.0", 24, Kind.NON_PUBLIC, "documentation 192.0.2.0/24"),
    v4("192.88.99.0", 24, Kind.NON_PUBLIC, "6to4 relay anycast 192.88.99.0/24"),
    v4("192.168.0.0", 16, Kind.NON_PUBLIC, "private 192.168.0.0/16"),
    v4("198.18.0.0", 15, Kind.NON_PUBLIC, "benchmarking 198.18.0.0/15"),
    v4("198.51.100.0", 24, Kind.NON_PUBLIC, "documentation 198.51.100.0/24"),
    v4("203.0.113.0", 24, Kind.NON_PUBLIC, "documentation 203.0.113.0/24"),
    v4("224.0.0.0", 4, Kind.NON_PUBLIC, "multicast 224.0.0.0/4"),
    v4("240.0.0.0", 4, Kind.NON_PUBLIC, "reserved 240.0.0.0/4 (incl. broadcast)"),
  };

  private static final V6[] METADATA_V6 = {
    v6("fe80::/10", Kind.METADATA, "link-local fe80::/10"),
    v6("fd00:ec2::254/128", Kind.METADATA, "cloud metadata (AWS IPv6) fd00:ec2::254"),
  };

  private static final V6[] NON_PUBLIC_V6 = {
    v6("::/128", Kind.NON_PUBLIC, "unspecified ::"),
    v6("::1/128", Kind.NON_PUBLIC, "loopback ::1"),
    v6("::/8", Kind.NON_PUBLIC, "reserved ::/8"),
    v6("64:ff9b::/96", Kind.NON_PUBLIC, "NAT64 64:ff9b::/96"),
    v6("64:ff9b:1::/48", Kind.NON_PUBLIC, "local-use NAT64 64:ff9b:1::/48"),
    v6("100::/64", Kind.NON_PUBLIC, "discard-only 100::/64"),
    v6("2001::/23", Kind.NON_PUBLIC, "IETF protocol assignments 2001::/23 (incl. Teredo)"),
    v6("2001:db8::/32", Kind.NON_PUBLIC, "documentation 2001:db8::/32"),
    v6("2002::/16", Kind.NON_PUBLIC, "6to4 2002::/16"),
    v6("3fff::/20", Kind.NON_PUBLIC, "documentation 3fff::/20"),
    v6("5f00::/16", Kind.NON_PUBLIC, "SRv6 SIDs 5f00::/16"),
    v6("fc00::/7", Kind.NON_PUBLIC, "unique local fc00::/7"),
    v6("fec0::/10", Kind.NON_PUBLIC, "site-local fec0::/10"),
    v6("ff00::/8", Kind.NON_PUBLIC, "multicast ff00::/8"),
  };

  private AddressRanges() {}

  /** Classifies an IPv4 address given as an int ({@code 127.0.0.1} = {@code 0x7f000001}). */
  public static Classified classify(int v4) {
    for (V4 r : METADATA_V4) {
      if ((v4 & r.mask) == r.network) return r.what;
    }
    for (V4 r : NON_PUBLIC_V4) {
      if ((v4 & r.mask) == r.network) return r.what;
    }
    return Classified.PUBLIC;
  }

  /** Classifies 4 or 16 address bytes. */
  public static Classified classify(byte[] address) {
    if (address.length == 4) return classify(toInt(address, 0));
    byte[] a = canonical(address);
    if (a.length == 4) return classify(toInt(a, 0));
    for (V6 r : METADATA_V6) {
      if (r.block.contains(a)) return r.what;
    }
    // Translation and tunnelling prefixes carry an IPv4 address that a gateway may forward to:
    // metadata stays metadata.
    for (int embedded : embeddedIpv4(a)) {
      Classified inner = classify(embedded);
      if (inner.kind() == Kind.METADATA)
        return new Classified(Kind.METADATA, inner.range() + " (embedded in IPv6)");
      if (isWellKnownNat64(a))
        return inner; // 64:ff9b::a.b.c.d is how IPv6-only networks reach a.b.c.d
    }
    for (V6 r : NON_PUBLIC_V6) {
      if (r.block.contains(a)) return r.what;
    }
    return Classified.PUBLIC;
  }

  /**
   * The IPv4 address of an IPv4-mapped ({@code ::ffff:a.b.c.d}) or IPv4-translated ({@code
   * ::ffff:0:a.b.c.d}) IPv6 address, which a dual-stack socket connects to as that IPv4 address;
   * other addresses unchanged.
   */
  public static byte[] canonical(byte[] a) {
    if (a.length != 16) return a;
    for (int i = 0; i < 8; i++) {
      if (a[i] != 0) return a;
    }
    boolean mapped = a[8] == 0 && a[9] == 0 && a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    boolean translated = a[8] == (byte) 0xff && a[9] == (byte) 0xff && a[10] == 0 && a[11] == 0;
    return mapped || translated ? new byte[] {a[12], a[13], a[14], a[15]} : a;
  }

  /**
   * The IPv4 addresses a tunnelling or translation prefix embeds in {@code a} (16 bytes); empty for
   * others.
   */
  static int[] embeddedIpv4(byte[] a) {
    int w0 = ((a[0] & 0xff) << 8) | (a[1] & 0xff);
    int w1 = ((a[2] & 0xff) << 8) | (a[3] & 0xff);
    int w2 = ((a[4] & 0xff) << 8) | (a[5] & 0xff);
    if (w0 == 0x2002) return new int[] {toInt(a, 2)}; // 6to4: bits 16..47
    if (w0 == 0x2001 && w1 == 0)
      return new int[] {toInt(a, 4), ~toInt(a, 12)}; // Teredo: server, ~client
    if (w0 == 0x0064 && w1 == 0xff9b && w2 == 1) { // RFC 8215 /48 layout + /96
      int layout48 =
          ((a[6] & 0xff) << 24) | ((a[7] & 0xff) << 16) | ((a[9] & 0xff) << 8) | (a[10] & 0xff);
      return new int[] {layout48, toInt(a, 12)};
    }
    if (isWellKnownNat64(a)) return new int[] {toInt(a, 12)};
    boolean zeroTop = true; // IPv4-compatible ::a.b.c.d
    for (int i = 0; i < 12; i++) zeroTop &= a[i] == 0;
    return zeroTop ? new int[] {toInt(a, 12)} : new int[0];
  }

  private static boolean isWellKnownNat64(byte[] a) {
    if (a.length != 16 || a[0] != 0 || a[1] != 0x64 || a[2] != (byte) 0xff || a[3] != (byte) 0x9b)
      return false;
    for (int i = 4; i < 12; i++) {
      if (a[i] != 0) return false;
    }
    return true;
  }

  static int toInt(byte[] a, int offset) {
    return ((a[offset] & 0xff) << 24)
        | ((a[offset + 1] & 0xff) << 16)
        | ((a[offset + 2] & 0xff) << 8)
        | (a[offset + 3] & 0xff);
  }

  static byte[] bytes(int v4) {
    return new byte[] {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4};
  }

  private static V4 v4(String network, int prefix, Kind kind, String range) {
    int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
    return new V4(IpLiterals.parseIpv4(network) & mask, mask, new Classified(kind, range));
  }

  private static V6 v6(String cidr, Kind kind, String range) {
    return new V6(Cidr.parse(cidr), new Classified(kind, range));
  }
}
