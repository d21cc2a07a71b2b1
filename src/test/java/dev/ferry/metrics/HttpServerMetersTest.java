package dev.ferry.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HttpServerMetersTest {
  private static String label(String path) {
    return HttpServerMeters.routeName(HttpServerMeters.routeOf(path));
  }

  @Test
  void a_path_is_labelled_by_its_api_family_never_by_what_follows() {
    assertEquals("/v2/publish", label("/v2/publish/https://example.com/hook?token=secret"));
    assertEquals("/v2/enqueue", label("/v2/enqueue/orders/http://127.0.0.1:9/x"));
    assertEquals("/v2/batch", label("/v2/batch"));
    assertEquals("/v2/queues", label("/v2/queues/orders/pause"));
    assertEquals("/v2/flowControl", label("/v2/flowControl/key-1/resetRate"));
    assertEquals("/v2/globalParallelism", label("/v2/globalParallelism"));
    assertEquals("/health", label("/health/ready"));
    assertEquals("/metrics", label("/metrics"));
  }

  @Test
  void anything_else_shares_one_label() {
    for (String path :
        new String[] {
          "/",
          "/v2/",
          "/v2/publishX/a",
          "/v2/pub",
          "/v2",
          "/metricsx",
          "/health",
          "/v3/publish/x",
          "/favicon.ico",
          null
        }) {
      assertEquals("other", label(path), String.valueOf(path));
    }
  }
}
