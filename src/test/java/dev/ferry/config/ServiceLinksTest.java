package dev.ferry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Which {@code FERRY_*} variables pass for the ones the kubelet injects for a Service (and are left
 * alone), and which are still refused as configuration typos; and what {@link EnvOverrides} and
 * {@link ConfigLoader} make of them.
 */
class ServiceLinksTest {

  /**
   * Everything the kubelet sets for a Service {@code name} with {@code clusterIp} and ports (name,
   * number, proto).
   */
  private static Map<String, String> kubelet(String name, String clusterIp, List<String[]> ports) {
    String svc = name.toUpperCase().replace('-', '_');
    String host = clusterIp.contains(":") ? "[" + clusterIp + "]" : clusterIp;
    Map<String, String> env = new TreeMap<>();
    env.put(svc + "_SERVICE_HOST", clusterIp);
    env.put(svc + "_SERVICE_PORT", ports.get(0)[1]);
    env.put(svc + "_PORT", ports.get(0)[2].toLowerCase() + "://" + host + ":" + ports.get(0)[1]);
    for (String[] port : ports) {
      if (port[0] != null)
        env.put(svc + "_SERVICE_PORT_" + port[0].toUpperCase().replace('-', '_'), port[1]);
      String prefix = svc + "_PORT_" + port[1] + "_" + port[2];
      env.put(prefix, port[2].toLowerCase() + "://" + host + ":" + port[1]);
      env.put(prefix + "_PROTO", port[2].toLowerCase());
      env.put(prefix + "_PORT", port[1]);
      env.put(prefix + "_ADDR", clusterIp);
    }
    return env;
  }

  private static void assertLinks(Map<String, String> env) {
    env.forEach(
        (name, value) -> assertTrue(ServiceLinks.isServiceLink(name, value), name + "=" + value));
  }

  private static void assertNotLink(String name, String value) {
    assertFalse(ServiceLinks.isServiceLink(name, value), name + "=" + value);
  }

  @Test
  void every_variable_the_kubelet_sets_for_the_shipped_service_is_a_link() {
    Map<String, String> env =
        kubelet("ferry", "10.96.0.12", List.<String[]>of(new String[] {"http", "8080", "TCP"}));

    assertEquals(
        Map.of(
            "FERRY_SERVICE_HOST", "10.96.0.12",
            "FERRY_SERVICE_PORT", "8080",
            "FERRY_SERVICE_PORT_HTTP", "8080",
            "FERRY_PORT", "tcp://10.96.0.12:8080",
            "FERRY_PORT_8080_TCP", "tcp://10.96.0.12:8080",
            "FERRY_PORT_8080_TCP_PROTO", "tcp",
            "FERRY_PORT_8080_TCP_PORT", "8080",
            "FERRY_PORT_8080_TCP_ADDR", "10.96.0.12"),
        env,
        "the shape the bug report quotes");
    assertLinks(env);
  }

  @Test
  void services_named_ferry_something_with_several_ports_udp_sctp_and_unnamed_ports_are_links() {
    assertLinks(
        kubelet(
            "ferry-metrics",
            "10.0.0.1",
            List.<String[]>of(
                new String[] {"prom", "9090", "TCP"},
                new String[] {"dns-udp", "53", "UDP"},
                new String[] {null, "36412", "SCTP"})));
    assertLinks(
        kubelet(
            "ferry-2",
            "172.20.3.4",
            List.<String[]>of(
                new String[] {null, "1", "TCP"}, new String[] {"a", "65535", "TCP"})));
    assertLinks(
        kubelet(
            "ferry--x9",
            "192.168.0.1",
            List.<String[]>of(new String[] {"h2c-grpc", "443", "TCP"})));
  }

  @Test
  void ipv6_cluster_addresses_are_bracketed_in_urls_and_bare_elsewhere() {
    Map<String, String> env =
        kubelet("ferry", "fd00:10:96::c", List.<String[]>of(new String[] {"http", "8080", "TCP"}));

    assertEquals("tcp://[fd00:10:96::c]:8080", env.get("FERRY_PORT"));
    assertLinks(env);
    assertNotLink("FERRY_PORT", "tcp://fd00:10:96::c:8080");
    assertNotLink("FERRY_SERVICE_HOST", "[fd00:10:96::c]");
  }

  @Test
  void host_names_count_as_hosts() {
    assertTrue(ServiceLinks.isServiceLink("FERRY_SERVICE_HOST", "ferry.prod.svc.cluster.local"));
    assertTrue(ServiceLinks.isServiceLink("FERRY_PORT", "tcp://ferry.prod.svc:8080"));
    assertTrue(ServiceLinks.isServiceLink("FERRY_PORT_8080_TCP_ADDR", "ferry"));
  }

  @Test
  void typos_of_configuration_variables_are_not_links() {
    // a value of the wrong shape for the name: what a mistyped configuration variable looks like
    assertNotLink("FERRY_METRIC_PORT", "9090");
    assertNotLink("FERRY_HTTP_PORTS", "8080");
    assertNotLink("FERRY_HTTP_PROT", "80");
    assertNotLink("FERRY_STORAGE_DATADIR", "/data");
    assertNotLink("FERRY_TENANTS_0_TOKEN", "secret");
    assertNotLink("FERRY_LOGGING_LEVELS", "debug");
    assertNotLink("FERRY_METRICS_ENABLE", "true");
    assertNotLink("FERRY_HTTP_HOSTS", "0.0.0.0");
    assertNotLink(
        "FERRY_METRICS_HOST", "10.0.0.1"); // SVC_HOST is not a kubelet name; SVC_SERVICE_HOST is
    assertNotLink("FERRY_DELIVERY_MAX_IN_FLIGHT_PORT", "12");
  }

  @Test
  void a_link_name_with_a_value_of_the_wrong_shape_is_not_a_link() {
    assertNotLink("FERRY_SERVICE_HOST", "");
    assertNotLink("FERRY_SERVICE_HOST", "not a host");
    assertNotLink("FERRY_SERVICE_HOST", "999.1.1.1");
    assertNotLink("FERRY_SERVICE_HOST", "10.96.0.12:8080");
    assertNotLink("FERRY_SERVICE_PORT", "http");
    assertNotLink("FERRY_SERVICE_PORT", "0");
    assertNotLink("FERRY_SERVICE_PORT", "08080");
    assertNotLink("FERRY_SERVICE_PORT", "65536");
    assertNotLink("FERRY_SERVICE_PORT", "-1");
    assertNotLink("FERRY_SERVICE_PORT", " 8080");
    assertNotLink("FERRY_SERVICE_PORT_HTTP", "tcp://10.0.0.1:8080");
    assertNotLink("FERRY_PORT", "8080");
    assertNotLink("FERRY_PORT", "http://10.0.0.1:8080");
    assertNotLink("FERRY_PORT", "tcp://10.0.0.1");
    assertNotLink("FERRY_PORT", "tcp://10.0.0.1:8080/");
    assertNotLink("FERRY_PORT", "TCP://10.0.0.1:8080");
    assertNotLink("FERRY_PORT", "tcp://:8080");
    assertNotLink(
        "FERRY_PORT_8080_TCP", "tcp://10.0.0.1:9090"); // the port in the name and the URL differ
    assertNotLink("FERRY_PORT_8080_TCP", "udp://10.0.0.1:8080"); // so do the protocols
    assertNotLink("FERRY_PORT_8080_TCP_PROTO", "udp");
    assertNotLink("FERRY_PORT_8080_TCP_PROTO", "TCP");
    assertNotLink("FERRY_PORT_8080_TCP_PORT", "9090");
    assertNotLink("FERRY_PORT_8080_TCP_ADDR", "tcp://10.0.0.1:8080");
    assertNotLink("FERRY_SERVICE_HOST", null);
  }

  @Test
  void names_that_no_service_can_give_are_not_links() {
    assertNotLink("FERRY_PORT_8080_HTTP", "tcp://10.0.0.1:8080"); // no such protocol
    assertNotLink("FERRY_PORT_0_TCP_PORT", "0");
    assertNotLink("FERRY_PORT_080_TCP_PORT", "080");
    assertNotLink("FERRY_PORT_99999_TCP_PORT", "99999");
    assertNotLink("FERRY__SERVICE_HOST", "10.0.0.1"); // a Service name cannot end in '-'
    assertNotLink("FERRY_X__SERVICE_HOST", "10.0.0.1");
    assertNotLink("FERRYX_SERVICE_HOST", "10.0.0.1"); // not ferry or ferry-*
    assertNotLink("QSTASH_SERVICE_HOST", "10.0.0.1");
    assertNotLink(
        "FERRY_" + "X".repeat(58) + "_SERVICE_HOST", "10.0.0.1"); // a Service name of 64 characters
    assertNotLink("FERRY_SERVICE_PORT_" + "P".repeat(16), "8080"); // a port name of 16 characters
    assertNotLink("ferry_service_host", "10.0.0.1");
    assertTrue(
        ServiceLinks.isServiceLink("FERRY_" + "X".repeat(57) + "_SERVICE_HOST", "10.0.0.1"),
        "63 characters");
  }

  @Test
  void env_overrides_leave_links_alone_report_their_names_and_still_refuse_typos() {
    Map<String, String> env =
        new TreeMap<>(
            kubelet(
                "ferry", "10.96.0.12", List.<String[]>of(new String[] {"http", "8080", "TCP"})));
    env.put("FERRY_HTTP_PORT", "7000");
    List<String> ignored = new ArrayList<>();

    FerryConfig config = FerryConfig.from(EnvOverrides.apply(TestTrees.valid(), env, ignored));

    assertEquals(7000, config.http().port(), "a configuration key is still read");
    assertEquals(
        List.of(
            "FERRY_PORT",
            "FERRY_PORT_8080_TCP",
            "FERRY_PORT_8080_TCP_ADDR",
            "FERRY_PORT_8080_TCP_PORT",
            "FERRY_PORT_8080_TCP_PROTO",
            "FERRY_SERVICE_HOST",
            "FERRY_SERVICE_PORT",
            "FERRY_SERVICE_PORT_HTTP"),
        ignored);

    env.put("FERRY_METRIC_PORT", "9090");
    ConfigException e =
        assertThrows(ConfigException.class, () -> EnvOverrides.apply(TestTrees.valid(), env));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertTrue(
        e.getMessage().startsWith("FERRY_METRIC_PORT: unknown configuration variable"),
        e.getMessage());
  }

  @Test
  void a_configuration_key_wins_over_the_link_reading_and_its_error_says_why() {
    // a Service named ferry-http sets FERRY_HTTP_PORT: it is http.port, and not an integer
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                EnvOverrides.apply(
                    TestTrees.valid(), Map.of("FERRY_HTTP_PORT", "tcp://10.96.0.7:8080")));

    assertEquals(
        "FERRY_HTTP_PORT (http.port): must be an integer, got \"tcp://10.96.0.7:8080\" (Kubernetes sets "
            + "this for a Service named ferry-http in the namespace: set enableServiceLinks: false in the pod spec, or "
            + "rename the Service)",
        e.getMessage());
    // the likelier one: a Service for the management port, named ferry-metrics
    e =
        assertThrows(
            ConfigException.class,
            () ->
                EnvOverrides.apply(
                    TestTrees.valid(), Map.of("FERRY_METRICS_PORT", "tcp://10.96.0.8:9090")));
    assertTrue(
        e.getMessage().startsWith("FERRY_METRICS_PORT (metrics.port): must be an integer"),
        e.getMessage());
    assertTrue(e.getMessage().contains("a Service named ferry-metrics"), e.getMessage());
  }

  @Test
  void a_link_does_not_make_room_for_a_tenant() {
    // a Service named ferry-tenants-1 would otherwise append an empty tenant, which fails
    // validation
    List<String> ignored = new ArrayList<>();
    FerryConfig config =
        FerryConfig.from(
            EnvOverrides.apply(
                TestTrees.valid(),
                Map.of(
                    "FERRY_TENANTS_1_SERVICE_HOST",
                    "10.0.0.3",
                    "FERRY_TENANTS_1_PORT",
                    "tcp://10.0.0.3:80"),
                ignored));

    assertEquals(1, config.tenants().size());
    assertEquals(List.of("FERRY_TENANTS_1_PORT", "FERRY_TENANTS_1_SERVICE_HOST"), ignored);
  }

  @Test
  void the_loader_reports_the_ignored_names() {
    Map<String, String> env = new TreeMap<>(TestTrees.SHIPPED_SECRETS);
    env.put("FERRY_SERVICE_HOST", "10.96.0.12");
    env.put("FERRY_SERVICE_PORT", "8080");

    ConfigLoader.Loaded loaded =
        ConfigLoader.loadReporting(new String[] {"--config", "conf/ferry.json"}, env);

    assertEquals(List.of("FERRY_SERVICE_HOST", "FERRY_SERVICE_PORT"), loaded.ignoredServiceLinks());
    assertEquals("default", loaded.config().tenants().get(0).name());
  }
}
