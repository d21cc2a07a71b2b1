package dev.ferry.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.GatewayTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The console's files as served and as written: every response under {@code /console/} carries the
 * strict Content-Security-Policy, and the files themselves contain nothing that policy would have
 * to allow (inline scripts, inline event handlers, inline styles), nothing that parses data as
 * markup, and nothing from another origin.
 */
class ConsoleFilesTest extends GatewayTest {
  static final Path ROOT = Path.of("src", "main", "resources", "console");

  @Test
  void console_responses_carry_the_security_headers() throws Exception {
    for (String path :
        List.of(
            "/console/",
            "/console/index.html",
            "/console/js/app.js",
            "/console/console.css",
            "/console/favicon.svg",
            "/console/no-such-file.js")) {
      HttpResponse<Buffer> r = ferry.get(path);
      assertEquals(
          ConsoleRoutes.CONTENT_SECURITY_POLICY, r.getHeader("Content-Security-Policy"), path);
      assertEquals("nosniff", r.getHeader("X-Content-Type-Options"), path);
      assertEquals("no-referrer", r.getHeader("Referrer-Policy"), path);
      assertEquals("DENY", r.getHeader("X-Frame-Options"), path);
    }
    HttpResponse<Buffer> index = ferry.get("/console/");
    assertEquals(200, index.statusCode());
    assertTrue(
        index.getHeader("Content-Type").startsWith("text/html"), index.getHeader("Content-Type"));
    assertEquals("no-cache", index.getHeader("Cache-Control"));
    assertTrue(
        ferry.get("/console/js/app.js").getHeader("Content-Type").startsWith("text/javascript"));
    assertEquals(404, ferry.get("/console/no-such-file.js").statusCode());
  }

  @Test
  void files_revalidate_with_their_etag_and_nothing_outside_the_folder_is_served()
      throws Exception {
    HttpResponse<Buffer> first = ferry.get("/console/js/app.js");
    String etag = first.getHeader("ETag");
    assertTrue(etag != null && etag.startsWith("\""), etag);
    HttpResponse<Buffer> again =
        ferry.await(
            () ->
                ferry
                    .request(HttpMethod.GET, "/console/js/app.js")
                    .putHeader("If-None-Match", etag)
                    .send());
    assertEquals(304, again.statusCode());
    assertEquals(null, again.body());
    assertEquals(ConsoleRoutes.CONTENT_SECURITY_POLICY, again.getHeader("Content-Security-Policy"));
    for (String path :
        List.of(
            "/console/.hidden.js",
            "/console/%2e%2e/logback.xml",
            "/console/../logback.xml",
            "/console/js/app.js.bak",
            "/console/logback.xml")) {
      HttpResponse<Buffer> r = ferry.get(path);
      assertEquals(404, r.statusCode(), path);
      assertEquals("application/json", r.getHeader("Content-Type"), path);
    }
  }

  @Test
  void console_without_a_slash_redirects_to_the_page() throws Exception {
    HttpResponse<Buffer> r =
        ferry.await(() -> ferry.request(HttpMethod.GET, "/console").followRedirects(false).send());
    assertEquals(302, r.statusCode());
    assertEquals("/console/", r.getHeader("Location"));
  }

  @Test
  void the_policy_allows_only_this_origin() {
    String csp = ConsoleRoutes.CONTENT_SECURITY_POLICY;
    assertFalse(csp.contains("unsafe"), csp);
    assertFalse(csp.contains("*"), csp);
    assertTrue(csp.startsWith("default-src 'none'"), csp);
    assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
  }

  @Test
  void html_has_no_inline_script_event_handler_or_style() throws IOException {
    Pattern script = Pattern.compile("<script\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
    Pattern handler = Pattern.compile("<[^>]*\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
    Pattern style = Pattern.compile("<style\\b|\\sstyle\\s*=", Pattern.CASE_INSENSITIVE);
    for (Path file : files(".html", ".svg")) {
      String text = Files.readString(file);
      Matcher m = script.matcher(text);
      while (m.find()) assertTrue(m.group(1).contains("src="), file + ": inline <script>");
      assertFalse(handler.matcher(text).find(), file + ": inline event handler");
      assertFalse(style.matcher(text).find(), file + ": inline style");
    }
  }

  @Test
  void scripts_never_parse_data_as_markup_or_load_from_elsewhere() throws IOException {
    List<String> forbidden =
        List.of(
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
            "setAttribute('on",
            "localStorage.setItem",
            "document.cookie");
    for (Path file : files(".js", ".html", ".css")) {
      String text = Files.readString(file);
      for (String f : forbidden) assertFalse(text.contains(f), file + " uses " + f);
      // an air-gapped network has no CDN or font service: nothing may come from another origin
      assertFalse(
          Pattern.compile("(src|href)\\s*=\\s*[\"']?(https?:)?//").matcher(text).find(),
          file + " loads from another origin");
      assertFalse(
          Pattern.compile("@import|url\\(\\s*[\"']?(https?:)?//").matcher(text).find(),
          file + " loads a style or font from another origin");
    }
  }

  @Test
  void every_module_the_page_imports_is_shipped() throws IOException {
    Pattern imports = Pattern.compile("from '(\\.[^']+)'");
    for (Path file : files(".js")) {
      Matcher m = imports.matcher(Files.readString(file));
      while (m.find()) {
        Path target = file.getParent().resolve(m.group(1)).normalize();
        assertTrue(Files.isRegularFile(target), file + " imports a missing " + m.group(1));
      }
    }
  }

  private static List<Path> files(String... suffixes) throws IOException {
    try (Stream<Path> all = Files.walk(ROOT)) {
      List<Path> found =
          all.filter(Files::isRegularFile)
              .filter(p -> Stream.of(suffixes).anyMatch(s -> p.toString().endsWith(s)))
              .toList();
      assertFalse(found.isEmpty(), "no console files under " + ROOT);
      return found;
    }
  }
}
