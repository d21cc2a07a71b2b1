package dev.ferry.console;

import dev.ferry.api.TokenAuth;
import dev.ferry.api.messages.PendingCountHandler;
import dev.ferry.config.FerryConfig;
import dev.ferry.store.Stores;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;

/**
 * The Ferry Console: the page at {@code /console/} (files from the {@code console} folder of the
 * jar) and the JSON endpoints it needs beyond the QStash API ({@code /ferry/v1/overview}, {@code
 * /ferry/v1/cron}, {@code /ferry/v1/pending}), behind the same token as {@code /v2/*}. Every
 * console response carries a strict Content-Security-Policy: the page loads only its own files and
 * talks only to this origin, so even a message body that slipped into the page as markup could
 * neither run nor send anything away. Mounted by {@code ApiRouter}.
 */
public final class ConsoleRoutes {
  public static final String PATH = "/console/";
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; "
          + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private ConsoleRoutes() {}

  public static void mount(
      Router router,
      List<FerryConfig.Tenant> tenants,
      TenantActivity activity,
      Stores stores,
      Clock clock) {
    // a regex: a plain "/console" route would also match "/console/" and redirect it to itself
    router.getWithRegex("^/console$").handler(ctx -> ctx.redirect(PATH));
    router.route(PATH + "*").handler(ConsoleRoutes::securityHeaders);
    router
        .route(PATH + "*")
        .method(HttpMethod.GET)
        .method(HttpMethod.HEAD)
        .handler(new ConsoleFiles(PATH, "console"));

    router.route("/ferry/*").handler(new TokenAuth(tenants));
    router.route("/ferry/*").handler(ConsoleRoutes::noStore);
    router
        .get("/ferry/v1/overview")
        .handler(
            new OverviewHandler(activity, stores.queues(), stores.messages(), stores.dlq(), clock));
    router.get("/ferry/v1/cron").handler(new CronHandler(clock));
    router.get("/ferry/v1/pending").handler(new PendingCountHandler(stores.messages()));
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response()
        .headers()
        .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .set("X-Content-Type-Options", "nosniff")
        .set("Referrer-Policy", "no-referrer")
        .set("X-Frame-Options", "DENY")
        // small files that change with every Ferry release: always revalidate, never serve a stale
        // page
        .set(HttpHeaders.CACHE_CONTROL, "no-cache");
    ctx.next();
  }

  /** Tenant data: never kept by a browser or proxy cache. */
  private static void noStore(RoutingContext ctx) {
    ctx.response()
        .headers()
        .set(HttpHeaders.CACHE_CONTROL, "no-store")
        .set("X-Content-Type-Options", "nosniff");
    ctx.next();
  }
}
