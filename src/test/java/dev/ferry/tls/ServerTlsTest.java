package dev.ferry.tls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.FerryConfig;
import dev.ferry.testing.TestPki;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.junit5.VertxExtension;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key formats {@code http.tls.keyPath} takes, and that disabled TLS leaves the server options
 * alone.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerTlsTest {
  @TempDir Path dir;

  @Test
  void pkcs8_pkcs1_rsa_and_sec1_ec_keys_are_accepted(Vertx vertx) throws Exception {
    TestPki.Issued ca = TestPki.ca("CA");
    TestPki.Issued ec = TestPki.server(ca, "localhost");
    TestPki.Issued rsa = TestPki.rsaServer(ca, "localhost");
    assertLoads(vertx, ec, ec.keyPem(), "BEGIN PRIVATE KEY"); // PKCS#8
    assertLoads(
        vertx, ec, traditional(ec), "BEGIN EC PRIVATE KEY"); // SEC1, openssl ecparam -genkey
    assertLoads(
        vertx,
        rsa,
        traditional(rsa),
        "BEGIN RSA PRIVATE KEY"); // PKCS#1, openssl genrsa -traditional
  }

  @Test
  void disabled_tls_changes_nothing() {
    HttpServerOptions options = ServerTls.disabled().applyTo(new HttpServerOptions());
    assertFalse(options.isSsl());
    assertFalse(options.isUseAlpn());
  }

  private void assertLoads(Vertx vertx, TestPki.Issued cert, String keyPem, String form)
      throws Exception {
    assertTrue(keyPem.contains(form), keyPem);
    Path certFile = cert.writeCertificate(Files.createTempFile(dir, "cert", ".pem"));
    Path keyFile = Files.writeString(Files.createTempFile(dir, "key", ".pem"), keyPem);
    ServerTls tls =
        ServerTls.load(
            vertx,
            new FerryConfig.HttpTls(
                true, certFile.toString(), keyFile.toString(), true, "TLSv1.2"));
    assertTrue(tls.applyTo(new HttpServerOptions()).isSsl(), form);
  }

  /**
   * The key in the algorithm's own PEM form (SEC1 {@code EC PRIVATE KEY}, PKCS#1 {@code RSA PRIVATE
   * KEY}), as {@code openssl ecparam -genkey} and {@code openssl genrsa -traditional} write it: the
   * PKCS#8 wrapper's inner key.
   */
  private static String traditional(TestPki.Issued issued) throws Exception {
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(issued.keys().getPrivate().getEncoded());
    String type =
        issued.keys().getPrivate().getAlgorithm().equals("RSA")
            ? "RSA PRIVATE KEY"
            : "EC PRIVATE KEY";
    StringWriter text = new StringWriter();
    try (PemWriter writer = new PemWriter(text)) {
      writer.writeObject(new PemObject(type, inner(info).getEncoded()));
    }
    return text.toString();
  }

  /**
   * SEC1 as OpenSSL writes it names its curve inside (the JDK's PKCS#8 leaves it to the wrapper):
   * add it back.
   */
  private static ASN1Primitive inner(PrivateKeyInfo info) throws Exception {
    if (!info.getPrivateKeyAlgorithm().getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      return info.parsePrivateKey().toASN1Primitive();
    }
    ECPrivateKey key = ECPrivateKey.getInstance(info.parsePrivateKey());
    return new ECPrivateKey(
            256, key.getKey(), key.getPublicKey(), info.getPrivateKeyAlgorithm().getParameters())
        .toASN1Primitive();
  }
}
