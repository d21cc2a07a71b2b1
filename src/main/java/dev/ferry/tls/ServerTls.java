package dev.ferry.tls;

import dev.ferry.config.FerryConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;

/**
 * HTTPS for the API port ({@code http.tls}): the certificate and key read and checked once at
 * start-up (a worker thread: {@link #load} blocks), then applied to every API verticle's server
 * options. Disabled, it changes nothing.
 */
public final class ServerTls {
  private static final List<String> KEY_TYPES = List.of("RSA", "EC", "EdDSA", "Ed25519");
  private final FerryConfig.HttpTls config;
  private final PemKeyCertOptions keyCert; // null when disabled

  private ServerTls(FerryConfig.HttpTls config, PemKeyCertOptions keyCert) {
    this.config = config;
    this.keyCert = keyCert;
  }

  /** Plain HTTP. */
  public static ServerTls disabled() {
    return new ServerTls(FerryConfig.HttpTls.DISABLED, null);
  }

  /**
   * Reads the PEM files and checks that they parse and that the key belongs to the certificate, so
   * a bad file stops start-up with a message naming the key, rather than failing every handshake
   * later. Blocking.
   *
   * @throws IllegalArgumentException naming the config key at fault
   */
  public static ServerTls load(Vertx vertx, FerryConfig.HttpTls config) {
    if (!config.enabled()) {
      return disabled();
    }
    PemKeyCertOptions keyCert =
        new PemKeyCertOptions()
            .setCertValue(read(config.certPath(), "http.tls.certPath"))
            .setKeyValue(read(config.keyPath(), "http.tls.keyPath"));
    KeyManagerFactory keys;
    try {
      keys = keyCert.getKeyManagerFactory(vertx);
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "http.tls.certPath / http.tls.keyPath: cannot use "
              + config.certPath()
              + " and "
              + config.keyPath()
              + " as a PEM certificate chain and private key: "
              + e.getMessage(),
          e);
    }
    checkKeyMatchesCertificate(keys, config);
    return new ServerTls(config, keyCert);
  }

  public boolean enabled() {
    return keyCert != null;
  }

  /**
   * Switches {@code options} to TLS (same port), with HTTP/2 via ALPN when configured; returns
   * them.
   */
  public HttpServerOptions applyTo(HttpServerOptions options) {
    if (!enabled()) {
      return options;
    }
    options
        .setSsl(true)
        .setKeyCertOptions(keyCert.copy())
        .setSslEngineOptions(TlsEngine.options())
        .setEnabledSecureTransportProtocols(TlsEngine.protocolsFrom(config.minVersion()))
        .setUseAlpn(config.http2());
    if (config.http2()) {
      options.setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
    }
    return options;
  }

  /** For the start-up log line. */
  public String describe() {
    if (!enabled()) {
      return "plain HTTP";
    }
    return "HTTPS ("
        + String.join(", ", TlsEngine.protocolsFrom(config.minVersion()))
        + (config.http2() ? "; HTTP/2 via ALPN and HTTP/1.1" : "; HTTP/1.1 only")
        + "; "
        + TlsEngine.describe()
        + ")";
  }

  private static Buffer read(String path, String key) {
    try {
      return Buffer.buffer(Files.readAllBytes(Path.of(path)));
    } catch (IOException e) {
      throw new IllegalArgumentException(key + ": cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Signs a few bytes with the key and verifies them with the certificate: a mismatch is a typo'd
   * path.
   */
  private static void checkKeyMatchesCertificate(
      KeyManagerFactory keys, FerryConfig.HttpTls config) {
    try {
      for (KeyManager manager : keys.getKeyManagers()) {
        if (!(manager instanceof X509KeyManager x509)) continue;
        for (String type : KEY_TYPES) {
          String[] aliases = x509.getServerAliases(type, null);
          if (aliases == null || aliases.length == 0) continue;
          PrivateKey key = x509.getPrivateKey(aliases[0]);
          Certificate certificate = x509.getCertificateChain(aliases[0])[0];
          byte[] probe = "ferry".getBytes(StandardCharsets.US_ASCII);
          Signature signer = Signature.getInstance(signatureAlgorithm(key));
          signer.initSign(key);
          signer.update(probe);
          Signature verifier = Signature.getInstance(signatureAlgorithm(key));
          verifier.initVerify(certificate);
          verifier.update(probe);
          if (!verifier.verify(signer.sign())) {
            throw new IllegalArgumentException(
                "http.tls.keyPath: the key in "
                    + config.keyPath()
                    + " does not belong to the certificate in "
                    + config.certPath());
          }
          return;
        }
      }
      throw new IllegalArgumentException(
          "http.tls.keyPath: no usable private key in " + config.keyPath());
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "http.tls.keyPath: the key in "
              + config.keyPath()
              + " does not belong to the certificate in "
              + config.certPath()
              + " ("
              + e
              + ")",
          e);
    }
  }

  private static String signatureAlgorithm(PrivateKey key) {
    return switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default ->
          throw new IllegalArgumentException(
              "http.tls.keyPath: unsupported key type " + key.getAlgorithm());
    };
  }
}
