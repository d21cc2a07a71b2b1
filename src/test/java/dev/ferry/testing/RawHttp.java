package dev.ferry.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A TCP connection that writes HTTP bytes exactly as given, for the requests an HTTP client would
 * normalise or refuse to send (bare CR, NUL, smuggling attempts, bodies that never end). Reads
 * whatever comes back and parses the first response. For JUnit threads: the methods block with a
 * deadline.
 */
public final class RawHttp implements AutoCloseable {
  private final NetClient client;
  private final NetSocket socket;
  private final Buffer received = Buffer.buffer();
  private volatile boolean closed;

  private RawHttp(NetClient client, NetSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.handler(
        data -> {
          synchronized (received) {
            received.appendBuffer(data);
          }
        });
    socket.closeHandler(v -> closed = true);
  }

  public static RawHttp connect(Vertx vertx, int port) throws Exception {
    NetClient client = vertx.createNetClient();
    NetSocket socket = client.connect(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
    return new RawHttp(client, socket);
  }

  /**
   * The head of a request: request line, headers (each a full {@code Name: value} line, CRLF
   * added), blank line.
   */
  public static String head(String requestLine, String... headerLines) {
    StringBuilder s = new StringBuilder(requestLine).append("\r\n");
    for (String line : headerLines) s.append(line).append("\r\n");
    return s.append("\r\n").toString();
  }

  public RawHttp write(String text) throws Exception {
    return write(
        text.getBytes(StandardCharsets.ISO_8859_1)); // byte for byte, whatever the characters
  }

  public RawHttp write(byte[] bytes) throws Exception {
    socket.write(Buffer.buffer(bytes)).await(10, TimeUnit.SECONDS);
    return this;
  }

  /** One chunk of a chunked body. */
  public RawHttp chunk(byte[] bytes) throws Exception {
    write(Integer.toHexString(bytes.length) + "\r\n");
    write(bytes);
    return write("\r\n");
  }

  /**
   * Waits for a complete first response (head plus Content-Length bytes); fails if none comes in
   * time.
   */
  public Response awaitResponse(long timeoutMillis) {
    try {
      return Polls.within(Duration.ofMillis(timeoutMillis))
          .until(
              () -> {
                Response r = parse();
                if (r == null && closed) {
                  r = parse(); // the rest may have arrived just before the close
                  if (r == null)
                    throw new AssertionError(
                        "connection closed without a complete response; got: " + text());
                }
                return r;
              },
              r -> r != null);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "no complete response within " + timeoutMillis + " ms; got: " + text());
    }
  }

  /** Everything received so far, as text. */
  public String text() {
    synchronized (received) {
      return received.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private Response parse() {
    String all = text();
    int headEnd = all.indexOf("\r\n\r\n");
    if (headEnd < 0) return null;
    String[] lines = all.substring(0, headEnd).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] bytes;
    synchronized (received) {
      if (received.length() < headEnd + 4 + length) return null;
      bytes = received.getBytes(headEnd + 4, headEnd + 4 + length);
    }
    return new Response(status, headers, new String(bytes, StandardCharsets.UTF_8));
  }

  @Override
  public void close() throws Exception {
    client.close().await(10, TimeUnit.SECONDS);
  }

  /** The first response on the connection. */
  public record Response(int status, Map<String, String> headers, String body) {
    /** The {@code error} of a JSON error body (fails if the body is not one). */
    public String error() {
      return new JsonObject(body).getString("error");
    }
  }
}
