package dev.ferry.config;

import static dev.ferry.config.ConfigSection.MAX_INT;

/**
 * Reads the {@code delivery} section: partitions, connections, timeouts, and TLS to destinations.
 */
final class DeliveryReader {
  private DeliveryReader() {}

  // The cross-key check runs only on a clean section: stand-ins for bad values would cause
  // follow-up noise.
  static FerryConfig.Delivery read(ConfigSection s) {
    int before = s.problemCount();
    FerryConfig.Delivery delivery =
        new FerryConfig.Delivery(
            s.intIn("instances", 0, MAX_INT),
            s.intIn("maxConnectionsPerHost", 1, MAX_INT),
            s.duration("defaultTimeout", true),
            s.duration("maxTimeout", true),
            s.intIn("maxResponseBodyBytes", 0, MAX_INT),
            s.intIn("maxInFlight", 1, MAX_INT),
            s.duration("horizon", true),
            s.intIn("globalParallelism", 0, MAX_INT),
            TlsReader.delivery(s.child("tls")));
    if (s.problemCount() == before
        && delivery.maxTimeout().compareTo(delivery.defaultTimeout()) < 0) {
      s.problem("maxTimeout", "must not be shorter than " + s.path.key("defaultTimeout"));
    }
    return delivery;
  }
}
