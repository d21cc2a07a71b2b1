package dev.ferry.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads and checks {@code http.tls} and {@code delivery.tls}: TLS versions no older than 1.2, and
 * the certificate, key and CA files named and readable (their contents are checked when Ferry
 * starts). Part of {@link ConfigReader}.
 */
final class TlsReader {
  /** Oldest first; TLS 1.0 and 1.1 are refused in both directions (RFC 8996). */
  static final List<String> VERSIONS = List.of("TLSv1.2", "TLSv1.3");

  private TlsReader() {}

  static FerryConfig.HttpTls http(ConfigSection s) {
    boolean enabled = s.bool("enabled");
    String cert = s.string("certPath");
    String key = s.string("keyPath");
    if (enabled) {
      requireReadable(s, "certPath", cert);
      requireReadable(s, "keyPath", key);
    }
    return new FerryConfig.HttpTls(
        enabled, cert, key, s.bool("http2"), s.oneOf("minVersion", VERSIONS));
  }

  static FerryConfig.DeliveryTls delivery(ConfigSection s) {
    String ca = s.string("caPath");
    if (!ca.isEmpty()) {
      requireReadable(s, "caPath", ca);
    }
    return new FerryConfig.DeliveryTls(ca, s.oneOf("minVersion", VERSIONS));
  }

  private static void requireReadable(ConfigSection s, String key, String value) {
    if (!(s.raw(key) instanceof String)) {
      return; // already reported as not a string
    }
    if (value.isBlank()) {
      s.problem(key, "must name a PEM file when " + s.path.key("enabled") + " is true");
      return;
    }
    try {
      if (!Files.isRegularFile(Path.of(value)) || !Files.isReadable(Path.of(value))) {
        s.problem(key, "no readable file at " + value);
      }
    } catch (InvalidPathException bad) {
      s.problem(key, "is not a valid path (" + bad.getReason() + "): " + value);
    }
  }
}
