package dev.ferry.egress;

import io.netty.util.NetUtil;
import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The connect-time SSRF check of every outgoing call (destinations, URL-group endpoints, callbacks,
 * failure callbacks, schedule ticks: all are messages sent by {@link Deliverer}). An IP-literal
 * host is judged as it is, with no lookup; a name is resolved once, every answer is judged by the
 * {@link AddressPolicy}, and the attempt then connects to the first allowed answer itself, so no
 * second lookup can swap in another address (no DNS-rebinding window). The URL's host still names
 * the request (Host header, TLS SNI and certificate check). Stateless; runs on the delivery
 * context.
 */
public final class DestinationGuard {
  /** The answer for an allowed IP-literal host: connect as the URL says (nothing to resolve). */
  public static final Future<SocketAddress> DIRECT = Future.succeededFuture(null);

  private final AddressPolicy policy;
  private final HostResolver resolver;

  public DestinationGuard(AddressPolicy policy, HostResolver resolver) {
    this.policy = policy;
    this.resolver = resolver;
  }

  /**
   * Where to connect for {@code url}: {@link #DIRECT} (a null address) = to the URL's own host (an
   * allowed IP literal, nothing to resolve), else the vetted address. Fails with {@link Blocked}
   * when nothing may be called, or with the lookup's error.
   */
  public Future<SocketAddress> route(String url) {
    long v4 = UrlTarget.plainIpv4(url);
    if (v4 != -1L && policy.allowsAnyHost((int) v4)) return DIRECT;
    UrlTarget target = UrlTarget.of(url);
    if (!target.valid())
      return Future.failedFuture(new Blocked("blocked: the destination URL cannot be read"));
    if (target.isLiteral()) {
      String why =
          target.literal().length == 4
              ? policy.refusal(target.host(), target.v4())
              : policy.refusal(target.host(), target.literal());
      return why == null
          ? DIRECT
          : Future.failedFuture(
              new Blocked("blocked: " + target.host() + " is not called: " + why));
    }
    return resolver.resolveAll(target.host()).compose(addresses -> pick(target, addresses));
  }

  private Future<SocketAddress> pick(UrlTarget target, List<InetAddress> addresses) {
    List<String> refused = new ArrayList<>();
    for (InetAddress address : addresses) {
      String why = policy.refusal(target.host(), address.getAddress());
      // RFC 5952 text: fd00:ec2::254, not fd00:ec2:0:0:0:0:0:254
      String text = NetUtil.toAddressString(address);
      if (why == null)
        return Future.succeededFuture(SocketAddress.inetSocketAddress(target.port(), text));
      refused.add(text + " (" + why + ")");
    }
    if (refused.isEmpty()) {
      return Future.failedFuture(
          new Blocked("blocked: " + target.host() + " resolved to no address"));
    }
    return Future.failedFuture(
        new Blocked("blocked: " + target.host() + " resolved to " + String.join("; ", refused)));
  }

  /**
   * The attempt was refused before any connection was opened; its message names the resolved
   * address and why.
   */
  public static final class Blocked extends RuntimeException {
    Blocked(String message) {
      super(message, null, false, false);
    }
  }
}
