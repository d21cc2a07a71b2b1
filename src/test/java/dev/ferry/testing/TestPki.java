package dev.ferry.testing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made at test time (BouncyCastle, EC P-256): a private CA and the server certificates
 * it signs, as PEM text, files or Vert.x options. Nothing is checked in, so nothing expires in the
 * repository.
 */
public final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** A key pair and its certificate. */
  public record Issued(KeyPair keys, X509Certificate certificate) {
    public String certificatePem() {
      return pem(certificate);
    }

    /** PKCS#8 ({@code BEGIN PRIVATE KEY}), the form every PEM reader takes. */
    public String keyPem() {
      return "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(keys.getPrivate().getEncoded())
          + "\n-----END PRIVATE KEY-----\n";
    }

    /** For a Vert.x server presenting this certificate. */
    public PemKeyCertOptions keyCertOptions() {
      return new PemKeyCertOptions()
          .setCertValue(Buffer.buffer(certificatePem()))
          .setKeyValue(Buffer.buffer(keyPem()));
    }

    /** For a Vert.x client trusting this certificate (a CA, or a self-signed server). */
    public PemTrustOptions trustOptions() {
      return new PemTrustOptions().addCertValue(Buffer.buffer(certificatePem()));
    }

    public Path writeCertificate(Path file) throws IOException {
      return Files.writeString(file, certificatePem(), StandardCharsets.US_ASCII);
    }

    public Path writeKey(Path file) throws IOException {
      return Files.writeString(file, keyPem(), StandardCharsets.US_ASCII);
    }
  }

  private TestPki() {}

  /** A self-signed CA certificate that may sign server certificates. */
  public static Issued ca(String name) throws GeneralSecurityException, IOException {
    KeyPair keys = newKeys();
    X500Name subject = new X500Name("CN=" + name);
    X509v3CertificateBuilder builder = builder(subject, subject, keys);
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    builder
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
        .addExtension(
            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
        .addExtension(
            Extension.subjectKeyIdentifier,
            false,
            ext.createSubjectKeyIdentifier(keys.getPublic()));
    return new Issued(keys, sign(builder, keys));
  }

  /**
   * A server certificate signed by {@code ca} for the given names: each is a DNS name, or an IP
   * address when it parses as one ({@code "127.0.0.1"}).
   */
  public static Issued server(Issued ca, String... names)
      throws GeneralSecurityException, IOException {
    return issue(ca, newKeys(), names);
  }

  /**
   * As {@link #server}, with an RSA key: for TLS 1.1 handshakes, whose CBC cipher suites in Netty's
   * default list are all RSA ones (an EC certificate could fail them for want of a cipher rather
   * than for the version).
   */
  public static Issued rsaServer(Issued ca, String... names)
      throws GeneralSecurityException, IOException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return issue(ca, generator.generateKeyPair(), names);
  }

  private static Issued issue(Issued ca, KeyPair keys, String... names)
      throws GeneralSecurityException, IOException {
    X500Name issuer = new X500Name(ca.certificate().getSubjectX500Principal().getName());
    X509v3CertificateBuilder builder = builder(issuer, new X500Name("CN=" + names[0]), keys);
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    List<GeneralName> sans = new ArrayList<>();
    for (String name : names) {
      sans.add(
          name.matches("[0-9.]+|.*:.*")
              ? new GeneralName(GeneralName.iPAddress, InetAddress.getByName(name).getHostAddress())
              : new GeneralName(GeneralName.dNSName, name));
    }
    builder
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
        .addExtension(
            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
        .addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(sans.toArray(GeneralName[]::new)))
        .addExtension(
            Extension.authorityKeyIdentifier,
            false,
            ext.createAuthorityKeyIdentifier(ca.certificate()));
    return new Issued(keys, sign(builder, ca.keys()));
  }

  private static KeyPair newKeys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(2))),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static String pem(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return text.toString();
  }
}
