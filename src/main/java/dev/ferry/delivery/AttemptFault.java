package dev.ferry.delivery;

import dev.ferry.egress.DestinationGuard;
import dev.ferry.model.AttemptResult;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.NotSslRecordException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Why an attempt got no complete HTTP response. Its label is the first word of {@link
 * AttemptResult#error()} ({@code "refused: connection refused by 127.0.0.1:8080"}), so the message
 * log, the DLQ entry, the failed-attempt log and the {@code result} label of {@code
 * ferry_delivery_attempts_total} all name the same fault without a new stored field. Classification
 * only: the deliverer decides when an attempt failed, this class says how to call it.
 */
public enum AttemptFault {
  /** The attempt's total deadline passed (no connection, or no complete response, in time). */
  TIMEOUT,
  /** Nothing listens at the destination's port. */
  REFUSED,
  /** The destination closed or reset the connection before its response was complete. */
  RESET,
  /** The destination's host name could not be resolved (no such name, or the lookup timed out). */
  DNS,
  /**
   * The TLS handshake failed: not a TLS server, untrusted or expired certificate, wrong name, old
   * protocol.
   */
  TLS,
  /**
   * The destination's address may not be called (the connect-time SSRF check refused it; its error
   * text starts with {@code "blocked: "}).
   */
  BLOCKED,
  /** Anything else (unreachable network, a protocol error, ...). */
  ERROR;

  /** The metric label and the first word of the error text. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The error text of an attempt that failed this way. */
  public String text(String detail) {
    return label() + ": " + detail;
  }

  /** The fault recorded in {@code r}, or null when it holds an HTTP response. */
  public static AttemptFault of(AttemptResult r) {
    return r.status() != 0 ? null : ofError(r.error());
  }

  /** The fault an error text names ({@link #ERROR} for text not written by {@link #text}). */
  public static AttemptFault ofError(String text) {
    String error = text == null ? "" : text;
    int colon = error.indexOf(':');
    String word = colon < 0 ? error : error.substring(0, colon);
    for (AttemptFault f : values()) {
      if (f.label().equals(word)) return f;
    }
    return ERROR;
  }

  /**
   * The error text for a transport failure (the cause chain decides: a TLS failure may wrap a
   * certificate one).
   */
  public static String describe(Throwable e) {
    if (e instanceof DestinationGuard.Blocked)
      return e.getMessage(); // already "blocked: <host> ..."
    SSLException tls = find(e, SSLException.class);
    if (tls != null) {
      if (find(tls, NotSslRecordException.class) != null) {
        return TLS.text(
            "handshake failed: the destination does not speak TLS (not an SSL/TLS record)");
      }
      GeneralSecurityException cert = find(tls, GeneralSecurityException.class);
      return cert != null
          ? TLS.text("certificate rejected: " + message(root(cert)))
          : TLS.text("handshake failed: " + message(root(tls)));
    }
    UnknownHostException dns = find(e, UnknownHostException.class);
    if (dns != null) {
      boolean timedOut = hasClassNamed(dns, "DnsNameResolverTimeoutException");
      return DNS.text((timedOut ? "lookup timed out: " : "cannot resolve host: ") + message(dns));
    }
    if (find(e, ConnectTimeoutException.class) != null || find(e, TimeoutException.class) != null) {
      return TIMEOUT.text(message(e));
    }
    ConnectException connect = find(e, ConnectException.class);
    if (connect != null) {
      String m = message(connect);
      return m.toLowerCase(Locale.ROOT).contains("refused")
          ? REFUSED.text(m)
          : ERROR.text("connect failed: " + m);
    }
    if (find(e, HttpClosedException.class) != null) {
      return RESET.text("connection closed by the destination before a complete response");
    }
    if (find(e, StreamResetException.class) != null)
      return RESET.text("stream reset: " + message(e));
    IOException io = find(e, IOException.class);
    if (io != null && looksLikeReset(message(io))) return RESET.text(message(io));
    return ERROR.text(
        e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + message(e)));
  }

  private static boolean looksLikeReset(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    return m.contains("reset") || m.contains("closed") || m.contains("broken pipe");
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) return type.cast(t);
    }
    return null;
  }

  private static boolean hasClassNamed(Throwable e, String simpleName) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getClass().getSimpleName().equals(simpleName)) return true;
    }
    return false;
  }

  private static Throwable root(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t;
  }

  /** The exception's message, at most 200 characters (some carry a hex dump of what arrived). */
  private static String message(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.length() <= 200 ? m : m.substring(0, 200) + "...";
  }
}
