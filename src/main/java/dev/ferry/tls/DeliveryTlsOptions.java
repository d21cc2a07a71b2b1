package dev.ferry.tls;

import dev.ferry.config.FerryConfig;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS of the shared delivery client ({@code delivery.tls}): certificates and host names always
 * verified, TLS 1.2 or newer, the JVM's CAs plus an optional PEM bundle of private CAs. Built once
 * at start-up on a worker thread ({@link #load} blocks); applied where the delivery client's
 * options are built, so destinations, URL-group endpoints and callbacks all get it.
 */
public final class DeliveryTlsOptions {
  private final FerryConfig.DeliveryTls config;
  private final TrustManagerFactory trust;
  private final int extraCas;

  private DeliveryTlsOptions(
      FerryConfig.DeliveryTls config, TrustManagerFactory trust, int extraCas) {
    this.config = config;
    this.trust = trust;
    this.extraCas = extraCas;
  }

  /**
   * Reads the CA bundle, if any, and merges it with the JVM's default CAs. Blocking.
   *
   * @throws IllegalArgumentException naming {@code delivery.tls.caPath} if the file cannot be read
   *     or holds no certificate
   */
  public static DeliveryTlsOptions load(FerryConfig.DeliveryTls config) {
    if (config.caPath().isEmpty()) {
      try {
        TrustManagerFactory jvm =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        jvm.init((KeyStore) null);
        return new DeliveryTlsOptions(config, jvm, 0);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(
            "the JVM's default trust store cannot be loaded: " + e.getMessage(), e);
      }
    }
    List<X509Certificate> cas = readBundle(config.caPath());
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (X509Certificate jvmCa : jvmDefaultCas()) {
        store.setCertificateEntry("jvm-" + n++, jvmCa);
      }
      for (X509Certificate ca : cas) {
        store.setCertificateEntry("ca-" + n++, ca);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return new DeliveryTlsOptions(config, factory, cas.size());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "delivery.tls.caPath: cannot build a trust store from "
              + config.caPath()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Sets TLS on the delivery client's options (TLS is used per request, for {@code https://} URLs);
   * returns them. Verification is stated here even where it is Vert.x's default, so that no later
   * change turns it off unseen.
   */
  public HttpClientOptions applyTo(HttpClientOptions options) {
    options
        .setVerifyHost(true)
        .setTrustAll(false)
        .setSslEngineOptions(TlsEngine.options())
        .setEnabledSecureTransportProtocols(TlsEngine.protocolsFrom(config.minVersion()));
    // Set even without a CA bundle: the JVM's CAs then, whichever engine, rather than each engine's
    // own default.
    return options.setTrustOptions(TrustOptions.wrap(trust));
  }

  /** For the start-up log line. */
  public String describe() {
    return "delivery TLS: "
        + String.join(", ", TlsEngine.protocolsFrom(config.minVersion()))
        + ", certificates and host names verified against the JVM's CAs"
        + (extraCas > 0 ? " and " + extraCas + " from " + config.caPath() : "")
        + "; "
        + TlsEngine.describe();
  }

  private static List<X509Certificate> readBundle(String path) {
    List<X509Certificate> cas = new ArrayList<>();
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      Collection<? extends Certificate> read =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      for (Certificate c : read) {
        cas.add((X509Certificate) c);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "delivery.tls.caPath: cannot read " + path + ": " + e.getMessage(), e);
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          "delivery.tls.caPath: " + path + " is not a PEM certificate bundle: " + e.getMessage(),
          e);
    }
    if (cas.isEmpty()) {
      throw new IllegalArgumentException("delivery.tls.caPath: no certificate in " + path);
    }
    return cas;
  }

  /** The CAs the JVM trusts by default (its cacerts, or what javax.net.ssl.trustStore names). */
  private static List<X509Certificate> jvmDefaultCas() throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    List<X509Certificate> cas = new ArrayList<>();
    for (TrustManager tm : factory.getTrustManagers()) {
      if (tm instanceof X509TrustManager x509) {
        cas.addAll(List.of(x509.getAcceptedIssuers()));
      }
    }
    return cas;
  }
}
