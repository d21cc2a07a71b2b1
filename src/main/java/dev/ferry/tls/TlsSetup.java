package dev.ferry.tls;

import dev.ferry.config.FerryConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Both sides of Ferry's TLS, loaded once before anything else starts (certificate and CA files are
 * read on a worker thread), so a bad file stops start-up with a message naming its key.
 *
 * @param server the API port: HTTPS and HTTP/2, or plain HTTP
 * @param delivery the delivery client: trust and versions for {@code https://} destinations and
 *     callbacks
 */
public record TlsSetup(ServerTls server, DeliveryTlsOptions delivery) {
  private static final Logger LOG = LoggerFactory.getLogger(TlsSetup.class);

  public static Future<TlsSetup> load(Vertx vertx, FerryConfig config) {
    if (!TlsEngine.openSsl()) {
      // Works, but slower, and a sign that the jar lacks the native library for this platform: say
      // it loudly.
      LOG.warn("TLS falls back to the JDK's engine: {}", TlsEngine.describe());
    }
    return vertx.executeBlocking(
        () ->
            new TlsSetup(
                ServerTls.load(vertx, config.http().tls()),
                DeliveryTlsOptions.load(config.delivery().tls())),
        false);
  }
}
