package dev.ferry.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.EnumSet;

/**
 * Which of Vert.x's own meters Ferry keeps: pools and the JVM, into Ferry's registry. Used once, by
 * {@link FerryMetrics#newVertx}, before the Vert.x instance exists.
 */
final class VertxMeters {
  private VertxMeters() {}

  /** A Vert.x instance recording into {@code prometheus} under {@code registryName}. */
  static Vertx newVertx(
      VertxOptions options, PrometheusMeterRegistry prometheus, String registryName) {
    MicrometerMetricsOptions metrics =
        new MicrometerMetricsOptions()
            .setEnabled(true)
            .setRegistryName(registryName)
            .setJvmMetricsEnabled(true)
            .setLabels(EnumSet.of(Label.POOL_TYPE, Label.POOL_NAME))
            .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
            .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET)
            .addDisabledMetricsCategory(MetricsDomain.VERTICLES)
            // Delivery is measured by Ferry's own meters (attempts by host and result, durations).
            // Vert.x's client meters would repeat them at the price of meter look-ups on every
            // delivery, the hottest path there is.
            .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
            .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
            // The API server is measured by HttpServerMeters, for the same reason: Vert.x's server
            // meters cost a tenth of the event loop's time on the single-publish path.
            .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
            .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
            .setPrometheusOptions(
                new VertxPrometheusOptions().setEnabled(true).setStartEmbeddedServer(false));
    return Vertx.builder()
        .with(new VertxOptions(options).setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(prometheus))
        .build();
  }
}
