package dev.ferry.tls;

import dev.ferry.config.FerryConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Both sides of Ferry's TLS, loaded once before anything else starts (certificate and CA files are read on a worker
 * thread), so a bad file stops start-up with a message naming its key.
 *
 * @param server   the API port: HTTPS and HTTP/2, or plain HTTP
 * @param delivery the delivery client: trust and versions for {@code https://} destinations and callbacks
 */
public record TlsSetup(ServerTls server, DeliveryTlsOptions delivery) {

  public static Future<TlsSetup> load(Vertx vertx, FerryConfig config) {
    return vertx.executeBlocking(() -> new TlsSetup(ServerTls.load(vertx, config.http().tls()),
        DeliveryTlsOptions.load(config.delivery().tls())), false);
  }
}
