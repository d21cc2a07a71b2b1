package dev.ferry.tls;

import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The TLS implementation Ferry uses on both sides: BoringSSL through Netty's OpenSSL engine ({@code
 * netty-tcnative-boringssl-static}, which carries the native library for the common platforms),
 * else the JDK's engine. Netty decides once per process whether the native library loads; this only
 * reads its answer.
 */
public final class TlsEngine {
  /**
   * TLS versions Ferry can be configured to accept, oldest first; 1.0 and 1.1 are never enabled
   * (RFC 8996).
   */
  private static final List<String> VERSIONS = List.of("TLSv1.2", "TLSv1.3");

  private TlsEngine() {}

  /** Whether the OpenSSL (BoringSSL) engine is in use. */
  public static boolean openSsl() {
    return OpenSSLEngineOptions.isAvailable();
  }

  /** Engine options for a server or client: OpenSSL when available, else the JDK's. */
  public static SSLEngineOptions options() {
    return openSsl() ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions();
  }

  /** For the start-up log line: which engine, and if it is the JDK's, why OpenSSL is not used. */
  public static String describe() {
    if (openSsl()) {
      return "OpenSSL engine (" + OpenSsl.versionString() + ")";
    }
    Throwable cause = OpenSsl.unavailabilityCause();
    return "JDK engine (OpenSSL unavailable: "
        + (cause == null ? "unknown reason" : cause.toString())
        + ")";
  }

  /** The protocols to enable for a configured minimum version ("TLSv1.2" → TLSv1.2 and TLSv1.3). */
  public static Set<String> protocolsFrom(String minVersion) {
    int first = VERSIONS.indexOf(minVersion);
    if (first < 0) {
      throw new IllegalArgumentException(
          "unsupported TLS version " + minVersion + "; use one of " + VERSIONS);
    }
    return new LinkedHashSet<>(VERSIONS.subList(first, VERSIONS.size()));
  }
}
