package dev.ferry.egress;

import dev.ferry.config.FerryConfig;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether Ferry may call an address (configuration section {@code destinations}). In order:
 * an address in {@code denyCidrs} is refused; a cloud-metadata or link-local address is refused
 * unless {@code dangerouslyAllowMetadata}; in mode {@code default} everything else is allowed
 * (self-hosters deliver to their private networks); in mode {@code public} a non-public address is
 * allowed only when its block is in {@code allowCidrs} or the URL's host is in {@code allowHosts}.
 * The same object judges literal addresses at publish time and resolved addresses at connect time.
 * Immutable and thread-safe.
 */
public final class AddressPolicy {
  /** The built-in policy: mode default, no lists, metadata refused. */
  public static final AddressPolicy DEFAULT =
      new AddressPolicy(false, List.of(), Set.of(), List.of(), false);

  private final boolean publicOnly;
  private final List<Cidr> allowCidrs;
  private final Set<String> allowHosts;
  private final List<Cidr> denyCidrs;
  private final boolean allowMetadata;

  private AddressPolicy(
      boolean publicOnly,
      List<Cidr> allowCidrs,
      Set<String> allowHosts,
      List<Cidr> denyCidrs,
      boolean allowMetadata) {
    this.publicOnly = publicOnly;
    this.allowCidrs = List.copyOf(allowCidrs);
    this.allowHosts = Set.copyOf(allowHosts);
    this.denyCidrs = List.copyOf(denyCidrs);
    this.allowMetadata = allowMetadata;
  }

  /** The policy of a (validated) configuration section. */
  public static AddressPolicy of(FerryConfig.Destinations d) {
    return new AddressPolicy(
        d.publicOnly(),
        d.allowCidrs().stream().map(Cidr::parse).toList(),
        d.allowHosts().stream().map(AddressPolicy::normalHost).collect(Collectors.toSet()),
        d.denyCidrs().stream().map(Cidr::parse).toList(),
        d.dangerouslyAllowMetadata());
  }

  /** True in mode public. */
  public boolean publicOnly() {
    return publicOnly;
  }

  /**
   * Publish-time check: why {@code url} can never be called because its host is a refused IP
   * literal, or null. Host names are judged at connect time, on the addresses they resolve to then.
   */
  public String refusalOfUrl(String url) {
    UrlTarget target = UrlTarget.of(url);
    if (!target.valid() || !target.isLiteral()) return null;
    String why = refusal(target.host(), target.literal());
    return why == null ? null : "destination address " + target.host() + " is blocked: " + why;
  }

  /**
   * Why {@code address} may not be called for a URL whose host is {@code host}, or null if it may.
   *
   * @param host the URL's host, lower case (for {@code allowHosts}); for a literal, the literal
   * @param address 4 or 16 bytes
   */
  public String refusal(String host, byte[] address) {
    byte[] a = AddressRanges.canonical(address);
    for (Cidr deny : denyCidrs) {
      if (deny.contains(a)) return "denied by destinations.denyCidrs (" + deny + ")";
    }
    AddressRanges.Classified what = AddressRanges.classify(a);
    return decide(what, host, a);
  }

  /**
   * True when the IPv4 address may be called whatever the URL's host: mode default, no deny list,
   * not metadata. The delivery hot path (e.g. the benchmark's 127.0.0.1): no allocation.
   */
  public boolean allowsAnyHost(int v4) {
    return !publicOnly
        && denyCidrs.isEmpty()
        && (allowMetadata || AddressRanges.classify(v4).kind() != AddressRanges.Kind.METADATA);
  }

  /**
   * {@link #refusal(String, byte[])} for an IPv4 address as an int: the delivery hot path, no
   * allocation if allowed.
   */
  public String refusal(String host, int v4) {
    if (denyCidrs.isEmpty() && !publicOnly) {
      AddressRanges.Classified what = AddressRanges.classify(v4);
      return what.kind() == AddressRanges.Kind.METADATA ? decide(what, host, null) : null;
    }
    return refusal(host, AddressRanges.bytes(v4));
  }

  private String decide(AddressRanges.Classified what, String host, byte[] address) {
    if (what.kind() == AddressRanges.Kind.METADATA && !allowMetadata) {
      return "it is "
          + what.range()
          + ", which Ferry never calls (destinations.dangerouslyAllowMetadata is false)";
    }
    if (!publicOnly || what.kind() == AddressRanges.Kind.PUBLIC) return null;
    if (allowHosts.contains(normalHost(host))) return null;
    if (address != null) {
      for (Cidr allow : allowCidrs) {
        if (allow.contains(address)) return null;
      }
    }
    return "it is "
        + what.range()
        + ", not a public address (destinations.mode is \"public\"; see "
        + "destinations.allowCidrs and destinations.allowHosts)";
  }

  private static String normalHost(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }
}
