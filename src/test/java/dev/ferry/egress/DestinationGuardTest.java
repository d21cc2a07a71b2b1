package dev.ferry.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.FerryConfig;
import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SSRF matrix (docs/architecture.md#the-ssrf-matrix) at connect time for IP-literal hosts (a
 * message stored before the policy changed, or produced by a schedule or callback) and the resolver
 * contract: literals are never looked up, every answer of a name is vetted, the first allowed one
 * is connected to.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DestinationGuardTest {
  static final AddressPolicy PUBLIC =
      AddressPolicy.of(
          new FerryConfig.Destinations("public", List.of(), List.of(), List.of(), false));
  static final HostResolver NEVER =
      host -> {
        throw new AssertionError("a literal was looked up: " + host);
      };

  /** Every literal of the SSRF matrix → the address text the refusal names. */
  static final Map<String, String> LITERALS =
      Map.ofEntries(
          Map.entry("127.0.0.1", "127.0.0.1"),
          Map.entry("0.0.0.0", "0.0.0.0"),
          Map.entry("[::1]", "::1"),
          Map.entry("[::]", "::"),
          Map.entry("[::ffff:127.0.0.1]", "::ffff:127.0.0.1"),
          Map.entry("10.0.0.1", "10.0.0.1"),
          Map.entry("172.16.0.1", "172.16.0.1"),
          Map.entry("192.168.0.1", "192.168.0.1"),
          Map.entry("100.64.0.1", "100.64.0.1"),
          Map.entry("169.254.169.254", "169.254.169.254"),
          Map.entry("[fd00:ec2::254]", "fd00:ec2::254"),
          Map.entry("[64:ff9b::a9fe:a9fe]", "64:ff9b::a9fe:a9fe"),
          Map.entry("[2002:a9fe:a9fe::]", "2002:a9fe:a9fe::"));

  @Test
  void every_sec1_literal_is_refused_at_connect_time_in_mode_public_without_a_lookup() {
    DestinationGuard guard = new DestinationGuard(PUBLIC, NEVER);
    List<String> wrong = new ArrayList<>();
    LITERALS.forEach(
        (host, shown) -> {
          Future<SocketAddress> route = guard.route("http://" + host + ":8080/x");
          String error = route.failed() ? route.cause().getMessage() : "allowed";
          if (!(route.cause() instanceof DestinationGuard.Blocked)
              || !error.startsWith("blocked: " + shown + " ")) {
            wrong.add(host + " → " + error);
          }
        });
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  @Test
  void in_mode_default_only_metadata_literals_are_refused_and_the_rest_connect_directly() {
    DestinationGuard guard = new DestinationGuard(AddressPolicy.DEFAULT, NEVER);
    for (String host : LITERALS.keySet()) {
      Future<SocketAddress> route = guard.route("http://" + host + "/x");
      boolean metadata = host.contains("169.254") || host.contains("a9fe") || host.contains("ec2");
      if (metadata) {
        assertTrue(route.failed() && route.cause() instanceof DestinationGuard.Blocked, host);
      } else {
        assertSame(DestinationGuard.DIRECT, route, host);
      }
    }
  }

  @Test
  void a_name_connects_to_its_first_allowed_answer_and_keeps_the_port() throws Exception {
    List<InetAddress> all =
        List.of(
            InetAddress.getByName("169.254.169.254"),
            InetAddress.getByName("fd00:ec2::254"),
            InetAddress.getByName("10.0.0.7"),
            InetAddress.getByName("8.8.8.8"));
    HostResolver answers = host -> Future.succeededFuture(all);
    SocketAddress server =
        new DestinationGuard(AddressPolicy.DEFAULT, answers)
            .route("https://hooks.example/x")
            .result();
    assertEquals("10.0.0.7", server.host());
    assertEquals(443, server.port());
    SocketAddress publicOne =
        new DestinationGuard(PUBLIC, answers).route("http://hooks.example:81/x").result();
    assertEquals("8.8.8.8", publicOne.host());
    assertEquals(81, publicOne.port());
  }

  @Test
  void a_name_with_only_refused_answers_is_blocked_naming_each() throws Exception {
    List<InetAddress> all =
        List.of(InetAddress.getByName("169.254.169.254"), InetAddress.getByName("fd00:ec2::254"));
    HostResolver answers = host -> Future.succeededFuture(all);
    Future<SocketAddress> route =
        new DestinationGuard(AddressPolicy.DEFAULT, answers).route("http://evil.example/");
    String error = route.cause().getMessage();
    assertTrue(error.startsWith("blocked: evil.example resolved to 169.254.169.254 ("), error);
    assertTrue(error.contains("; fd00:ec2::254 ("), error);
    Future<SocketAddress> none =
        new DestinationGuard(AddressPolicy.DEFAULT, host -> Future.succeededFuture(List.of()))
            .route("http://empty.example/");
    assertTrue(none.cause() instanceof DestinationGuard.Blocked);
  }

  @Test
  void lookup_failures_pass_through_and_unreadable_urls_are_refused() {
    Future<SocketAddress> failed =
        new DestinationGuard(
                AddressPolicy.DEFAULT,
                host -> Future.failedFuture(new java.net.UnknownHostException(host)))
            .route("http://nx.example/");
    assertTrue(failed.cause() instanceof java.net.UnknownHostException);
    Future<SocketAddress> odd =
        new DestinationGuard(AddressPolicy.DEFAULT, NEVER).route("http://[fe80::1%25eth0]/");
    assertTrue(odd.cause() instanceof DestinationGuard.Blocked);
    assertNull(DestinationGuard.DIRECT.result());
  }
}
