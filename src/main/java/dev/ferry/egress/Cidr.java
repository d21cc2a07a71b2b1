package dev.ferry.egress;

import java.util.Arrays;

/**
 * An address block such as {@code 10.0.0.0/8} or {@code fd00::/8}, matched against raw address
 * bytes (4 for IPv4, 16 for IPv6; an IPv4 block never matches a 16-byte address, so callers unwrap
 * IPv4-mapped forms first, see {@link AddressRanges#canonical}). Immutable and thread-safe.
 */
public final class Cidr {
  private final byte[] network;
  private final int prefix;
  private final String text;

  private Cidr(byte[] network, int prefix, String text) {
    this.network = network;
    this.prefix = prefix;
    this.text = text;
  }

  /**
   * Parses {@code address/prefix}, or a single address (a /32 or /128). Addresses must be literals
   * (no host names): dotted-quad IPv4 or IPv6 as Java's parser reads it, brackets optional. Host
   * bits below the prefix are ignored.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static Cidr parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    String address = slash < 0 ? t : t.substring(0, slash);
    if (address.startsWith("[") && address.endsWith("]"))
      address = address.substring(1, address.length() - 1);
    byte[] bytes = IpLiterals.parse(address);
    if (bytes == null)
      throw new IllegalArgumentException("\"" + text + "\" is not an IP address or CIDR block");
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      String p = t.substring(slash + 1);
      if (p.isEmpty()
          || p.length() > 3
          || !p.chars().allMatch(c -> c >= '0' && c <= '9')
          || Integer.parseInt(p) > max) {
        throw new IllegalArgumentException("\"" + text + "\": the prefix length must be 0.." + max);
      }
      prefix = Integer.parseInt(p);
    }
    byte[] network = Arrays.copyOf(bytes, bytes.length);
    for (int bit = prefix; bit < max; bit++) network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    return new Cidr(network, prefix, t);
  }

  /** True when {@code address} (4 or 16 bytes) lies in this block. */
  public boolean contains(byte[] address) {
    if (address.length != network.length) return false;
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) return false;
    }
    int rest = prefix % 8;
    if (rest == 0) return true;
    int mask = (0xff << (8 - rest)) & 0xff;
    return (address[full] & mask) == (network[full] & mask);
  }

  @Override
  public String toString() {
    return text;
  }
}
