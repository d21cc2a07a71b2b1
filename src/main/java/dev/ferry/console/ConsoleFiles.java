package dev.ferry.console;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the console's files from the jar ({@code console/} on the classpath), held in memory once
 * read: the whole page is a few dozen kilobytes. Unlike vertx-web's StaticHandler it never copies
 * them to a temporary directory, where a tmp cleaner could delete them from under a Ferry that runs
 * for months. A file is read from the jar once, on a worker thread; its ETag lets browsers
 * revalidate ({@code Cache-Control: no-cache}) with a 304.
 */
final class ConsoleFiles implements Handler<RoutingContext> {
  /**
   * Names the console ships: letters, digits, '-', '_', '.', in folders; never "..", never a hidden
   * file.
   */
  private static final Pattern NAME =
      Pattern.compile("([A-Za-z0-9_-][A-Za-z0-9_.-]*/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*");

  private static final Map<String, String> TYPES =
      Map.of(
          "html",
          "text/html; charset=utf-8",
          "js",
          "text/javascript; charset=utf-8",
          "css",
          "text/css; charset=utf-8",
          "svg",
          "image/svg+xml",
          "png",
          "image/png",
          "json",
          "application/json");

  private final String prefix;
  private final String root;
  private final ConcurrentHashMap<String, Future<Optional<File>>> files = new ConcurrentHashMap<>();

  private record File(Buffer content, String type, String etag) {}

  /**
   * @param prefix the path the files are served under, with a trailing slash ({@code /console/})
   * @param root their folder on the classpath ({@code console})
   */
  ConsoleFiles(String prefix, String root) {
    this.prefix = prefix;
    this.root = root;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    String name = path.length() <= prefix.length() ? "index.html" : path.substring(prefix.length());
    HttpMethod method = ctx.request().method();
    if ((method != HttpMethod.GET && method != HttpMethod.HEAD)
        || !NAME.matcher(name).matches()
        || !TYPES.containsKey(extension(name))) {
      ctx.next();
      return;
    }
    files
        .computeIfAbsent(name, n -> ctx.vertx().executeBlocking(() -> read(n), false))
        .onSuccess(
            file -> {
              if (file.isEmpty()) {
                // only shipped files stay: names a client makes up must not fill the map
                files.remove(name);
                ctx.next();
              } else {
                send(ctx, file.get());
              }
            })
        .onFailure(
            e -> {
              files.remove(name);
              ctx.fail(e);
            });
  }

  private static void send(RoutingContext ctx, File file) {
    ctx.response().putHeader(HttpHeaders.ETAG, file.etag());
    if (file.etag().equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
      ctx.response().setStatusCode(304).end();
      return;
    }
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, file.type());
    if (ctx.request().method() == HttpMethod.HEAD) {
      ctx.response()
          .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(file.content().length()))
          .end();
    } else {
      ctx.response().end(file.content());
    }
  }

  /** Blocking: reads one file from the jar; empty when there is no such file. */
  private Optional<File> read(String name) throws IOException {
    try (InputStream in =
        ConsoleFiles.class.getClassLoader().getResourceAsStream(root + "/" + name)) {
      if (in == null) return Optional.empty();
      byte[] bytes = in.readAllBytes();
      return Optional.of(new File(Buffer.buffer(bytes), TYPES.get(extension(name)), etag(bytes)));
    }
  }

  private static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1);
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
