package dev.ferry.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The whole configuration, immutable, read once at start-up from {@code conf/ferry.json} plus
 * {@code FERRY_*} environment overrides and command-line flags (see {@link ConfigLoader}). Each
 * component receives only its slice.
 */
public record FerryConfig(
    Http http,
    Storage storage,
    Delivery delivery,
    Limits limits,
    Metrics metrics,
    Logging logging,
    Logs logs,
    Dlq dlq,
    Destinations destinations,
    Requests requests,
    Overload overload,
    Startup startup,
    Shutdown shutdown,
    Isolation isolation,
    List<Tenant> tenants) {

  public FerryConfig {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(logging, "logging");
    Objects.requireNonNull(logs, "logs");
    Objects.requireNonNull(dlq, "dlq");
    Objects.requireNonNull(destinations, "destinations");
    Objects.requireNonNull(requests, "requests");
    Objects.requireNonNull(overload, "overload");
    Objects.requireNonNull(startup, "startup");
    Objects.requireNonNull(shutdown, "shutdown");
    Objects.requireNonNull(isolation, "isolation");
    tenants = List.copyOf(tenants);
  }

  /**
   * Reads a config tree; missing keys take the built-in defaults, so a partial tree is fine. Also
   * the easy way to build a config in tests: {@code from(new JsonObject().put("limits", new
   * JsonObject().put("maxBatchEntries", 2)) .put("tenants", ...))}. Environment and flags are not
   * consulted here (that is {@link ConfigLoader}).
   *
   * @throws ConfigException naming every unknown key and bad value by its path
   */
  public static FerryConfig from(JsonObject json) {
    return ConfigReader.read(ConfigSchema.complete(json));
  }

  /**
   * Every built-in default, with no tenants: nobody can authenticate until {@link #withTenants}
   * adds some. (The built-in "default" tenant has no credentials by design, so it could not pass
   * validation.)
   */
  public static FerryConfig defaults() {
    return dev().withTenants(List.of());
  }

  /**
   * The built-in defaults plus the four users of the official QStash dev server (see {@link
   * DevProfile}).
   */
  public static FerryConfig dev() {
    return from(DevProfile.applyTo(ConfigSchema.defaults()));
  }

  public FerryConfig withTenants(List<Tenant> tenants) {
    return new FerryConfig(
        http,
        storage,
        delivery,
        limits,
        metrics,
        logging,
        logs,
        dlq,
        destinations,
        requests,
        overload,
        startup,
        shutdown,
        isolation,
        tenants);
  }

  /**
   * @param host address to bind
   * @param port HTTP port (0 = any free port)
   * @param instances API event-loop verticles (0 = half the cores, at least one)
   * @param drainTimeout how long shutdown waits for in-flight requests
   * @param tls HTTPS and HTTP/2 on the same port, or plain HTTP
   */
  public record Http(String host, int port, int instances, Duration drainTimeout, HttpTls tls) {
    public Http {
      Objects.requireNonNull(tls, "tls");
    }
  }

  /**
   * HTTPS on the API port (the whole port switches: there is no second, plain listener).
   *
   * @param enabled serve HTTPS instead of HTTP
   * @param certPath PEM file: the server certificate, followed by its intermediates
   * @param keyPath PEM file: the private key (PKCS#8, RSA PKCS#1 or EC SEC1)
   * @param http2 offer HTTP/2 through ALPN (clients without it, or asking for HTTP/1.1, get
   *     HTTP/1.1)
   * @param minVersion lowest TLS version accepted: "TLSv1.2" or "TLSv1.3"
   */
  public record HttpTls(
      boolean enabled, String certPath, String keyPath, boolean http2, String minVersion) {
    public static final HttpTls DISABLED = new HttpTls(false, "", "", true, "TLSv1.2");
  }

  /**
   * @param kind "embedded" (RocksDB on local disk) or "redis" (a shared Redis)
   * @param dataDir directory of the embedded store
   * @param redis the Redis store's settings (used when {@code kind} is "redis")
   */
  public record Storage(String kind, Path dataDir, RedisConfig redis) {
    public Storage {
      Objects.requireNonNull(redis, "redis");
    }

    /** Storage with the default Redis settings. */
    public Storage(String kind, Path dataDir) {
      this(kind, dataDir, RedisConfig.DEFAULTS);
    }
  }

  /**
   * @param instances delivery event-loop verticles (0 = half the cores, at least one)
   * @param maxConnectionsPerHost keep-alive pool size per destination host
   * @param defaultTimeout per-attempt timeout when the message sets none
   * @param maxTimeout largest accepted {@code Upstash-Timeout}
   * @param maxResponseBodyBytes how much of a destination's response body is kept (DLQ, logs,
   *     callbacks)
   * @param maxInFlight concurrent attempts per delivery instance for unqueued messages; the rest
   *     wait
   * @param horizon how far ahead the scheduler keeps due times in memory
   * @param globalParallelism most flow-controlled attempts in flight across all keys and tenants
   *     (QStash's plan-wide global parallelism), 0 = no cap
   * @param tls trust and TLS versions for https:// destinations and callbacks
   */
  public record Delivery(
      int instances,
      int maxConnectionsPerHost,
      Duration defaultTimeout,
      Duration maxTimeout,
      int maxResponseBodyBytes,
      int maxInFlight,
      Duration horizon,
      int globalParallelism,
      DeliveryTls tls) {
    public Delivery {
      Objects.requireNonNull(tls, "tls");
    }
  }

  /**
   * TLS of deliveries to {@code https://} destinations (and callbacks, which use the same client).
   * Certificates and host names are always verified.
   *
   * @param caPath PEM bundle of extra CAs to trust (private PKI), in addition to the JVM's; "" =
   *     the JVM's only
   * @param minVersion lowest TLS version a destination may speak: "TLSv1.2" or "TLSv1.3"
   */
  public record DeliveryTls(String caPath, String minVersion) {
    public static final DeliveryTls DEFAULTS = new DeliveryTls("", "TLSv1.2");
  }

  /**
   * @param maxMessageBytes largest body of one message (publish, enqueue, batch entry) → 413 beyond
   * @param maxRequestBytes largest request body (a batch) → 413 beyond
   * @param maxBatchEntries most entries in one batch → 400 beyond
   * @param defaultRetries retries when {@code Upstash-Retries} is absent
   * @param maxRetries largest accepted {@code Upstash-Retries}
   * @param maxDelay largest delay / not-before distance into the future
   * @param maxQueues queues per tenant → 412 beyond
   * @param maxQueueParallelism parallelism per queue → 412 beyond
   * @param maxUrlGroups URL groups per tenant → 412 beyond
   * @param maxEndpointsPerGroup endpoints per URL group → 412 beyond
   * @param dedupWindow how long a deduplication id (explicit or content-based) is remembered
   * @param maxSchedules schedules per tenant → 412 beyond
   */
  public record Limits(
      long maxMessageBytes,
      long maxRequestBytes,
      int maxBatchEntries,
      int defaultRetries,
      int maxRetries,
      Duration maxDelay,
      int maxQueues,
      int maxQueueParallelism,
      int maxUrlGroups,
      int maxEndpointsPerGroup,
      Duration dedupWindow,
      int maxSchedules) {}

  /**
   * @param enabled record Ferry's and Vert.x's meters and open the management listener; when false
   *     nothing is recorded and nothing listens on {@code port} (health stays on the API port)
   * @param host address the management listener binds
   * @param port port of the management listener: {@code /metrics} (Prometheus text format) and
   *     {@code /health/*}, plain HTTP, no token (0 = any free port); never the API port
   * @param maxDestinationHosts distinct destination hosts that get a label of their own; later
   *     hosts are counted under {@code host="other"}, so a flood of new hosts cannot blow up the
   *     series count
   */
  public record Metrics(boolean enabled, String host, int port, int maxDestinationHosts) {
    public static final Metrics DEFAULTS = new Metrics(true, "0.0.0.0", 9090, 100);
  }

  /**
   * @param format "text" (readable lines) or "json" (one JSON object per line)
   * @param level level of Ferry's own loggers: trace, debug, info, warn, error
   * @param accessLog one line per API request (method, path without secrets, status, duration,
   *     bytes)
   * @param failedAttemptsPerSecond failed delivery attempts logged per second at most (a burst of
   *     as many is allowed); the rest are counted and summarised in one line
   */
  public record Logging(
      String format, String level, boolean accessLog, int failedAttemptsPerSecond) {
    public static final Logging DEFAULTS = new Logging("text", "info", false, 10);

    public boolean json() {
      return format.equals("json");
    }
  }

  /**
   * @param enabled record one log entry per message state transition ({@code GET /v2/logs}); off,
   *     nothing is recorded and the logs endpoints answer with empty pages
   * @param retention how long a log entry is kept
   */
  public record Logs(boolean enabled, Duration retention) {
    public static final Logs DEFAULTS = new Logs(true, Duration.ofDays(7));
  }

  /**
   * @param retention how long a dead-letter entry is kept
   */
  public record Dlq(Duration retention) {
    public static final Dlq DEFAULTS = new Dlq(Duration.ofDays(7));
  }

  /**
   * Limits on the head of an API request, enforced before any handler runs
   * (docs/compatibility.md#limits).
   *
   * @param maxHeaders header lines a request may carry; more is answered 431
   * @param maxHeaderBytes total size of the header section; more is answered 431 (Vert.x {@code
   *     maxHeaderSize})
   * @param maxRequestLineBytes size of the request line, which holds the destination URL; more is
   *     answered 414
   */
  public record Requests(int maxHeaders, int maxHeaderBytes, int maxRequestLineBytes) {
    public static final Requests DEFAULTS = new Requests(100, 16_384, 16_384);
  }

  /**
   * Which addresses deliveries, callbacks and schedules may call (SSRF protection; see {@code
   * egress.AddressPolicy}).
   *
   * @param mode "default": only cloud-metadata and link-local addresses are refused (self-hosters
   *     deliver to private networks); "public": every non-public address is refused too
   * @param allowCidrs in mode public, blocks that may be called anyway (e.g. {@code 10.20.0.0/16})
   * @param allowHosts in mode public, exact URL hosts that may resolve to non-public addresses
   * @param denyCidrs blocks never called, whatever else says (operator deny wins)
   * @param dangerouslyAllowMetadata lets destinations reach cloud-metadata and link-local addresses
   *     (169.254.0.0/16, fe80::/10, fd00:ec2::254, …); only for a deliberate, trusted setup
   */
  public record Destinations(
      String mode,
      List<String> allowCidrs,
      List<String> allowHosts,
      List<String> denyCidrs,
      boolean dangerouslyAllowMetadata) {
    public static final Destinations DEFAULTS =
        new Destinations("default", List.of(), List.of(), List.of(), false);

    public Destinations {
      allowCidrs = List.copyOf(allowCidrs);
      allowHosts = List.copyOf(allowHosts);
      denyCidrs = List.copyOf(denyCidrs);
    }

    public boolean publicOnly() {
      return mode.equals("public");
    }
  }

  /**
   * What Ferry holds in memory at most, and how much disk it keeps free, so that more load than it
   * can take (or a full disk) is answered with 503 + {@code Retry-After} instead of growing the
   * heap until it dies.
   *
   * @param maxInFlightRequests API requests being served at once; more are shed before their body
   *     is read
   * @param maxInFlightRequestBytes request bodies (by {@code Content-Length}) being served at once,
   *     0 = an eighth of the JVM's max heap; more are shed before their body is read
   * @param maxPendingWrites store writes waiting for the writer thread; API writes beyond are shed
   *     (delivery's own writes are bounded by the attempts in flight and never shed)
   * @param minFreeDiskBytes free space the store keeps on its volume; writes that would eat into it
   *     fail with 503 (and readiness fails) until space returns
   * @param maxDueInMemory due-time entries the scheduler keeps in memory; the rest stay in the
   *     store and are read back as the in-memory ones fire
   * @param maxDeliveryBytes message bytes delivery holds in memory (due messages waiting for or in
   *     an attempt), 0 = an eighth of the JVM's max heap; the rest wait in the store; flow-control
   *     waitlists hold at most a quarter of it
   * @param maxFlowControlWaiting flow-controlled messages waiting in memory per delivery partition;
   *     the rest are handed back to the scheduler for later
   * @param maxFlowControlKeys flow-control keys tracked per delivery partition; idle keys are
   *     forgotten first
   * @param retryAfter the {@code Retry-After} sent with a shed request
   */
  public record Overload(
      int maxInFlightRequests,
      long maxInFlightRequestBytes,
      int maxPendingWrites,
      long minFreeDiskBytes,
      int maxDueInMemory,
      long maxDeliveryBytes,
      int maxFlowControlWaiting,
      int maxFlowControlKeys,
      Duration retryAfter) {
    public static final Overload DEFAULTS =
        new Overload(
            4096, 0, 20_000, 268_435_456L, 1_000_000, 0, 10_000, 100_000, Duration.ofSeconds(1));

    /**
     * {@link #maxInFlightRequestBytes}, with 0 resolved against this JVM's max heap: an eighth,
     * because a body is held twice on its way to the store (the request buffer and the message;
     * docs/operations.md#overload-and-full-disks).
     */
    public long requestBytesBudget() {
      return maxInFlightRequestBytes > 0
          ? maxInFlightRequestBytes
          : Runtime.getRuntime().maxMemory() / 8;
    }

    /** {@link #maxDeliveryBytes}, with 0 resolved against this JVM's max heap (an eighth). */
    public long deliveryBytesBudget() {
      return maxDeliveryBytes > 0 ? maxDeliveryBytes : Runtime.getRuntime().maxMemory() / 8;
    }

    /** Whole seconds for the header, at least 1. */
    public long retryAfterSeconds() {
      return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
  }

  /**
   * @param warmUp how long a throwaway Ferry publishes and delivers on loopback before the real one
   *     opens its API, so the JIT has compiled the hot paths by then (0 = no warm-up; see {@code
   *     WarmUp})
   */
  public record Startup(Duration warmUp) {}

  /**
   * @param gracePeriod the whole shutdown after SIGTERM: requests drain (at most {@code
   *     http.drainTimeout}), running delivery attempts may finish, the store closes; attempts still
   *     running when it is nearly over are left pending (delivered again after the restart), and at
   *     its end the process stops whatever is left. Keep it below Kubernetes' {@code
   *     terminationGracePeriodSeconds} minus the preStop sleep.
   */
  public record Shutdown(Duration gracePeriod) {
    public static final Shutdown DEFAULTS = new Shutdown(Duration.ofSeconds(30));
  }

  /**
   * @param hostSharePercent the share of delivery's slots for unqueued messages ({@code
   *     delivery.instances × delivery.maxInFlight}) that the messages of one destination host may
   *     hold at once; the rest of that host's due messages wait as compact entries, so a dead or
   *     slow destination with a large backlog cannot take the slots of healthy ones. 100 = no
   *     per-host limit.
   */
  public record Isolation(int hostSharePercent) {
    public static final Isolation DEFAULTS = new Isolation(25);
  }

  /**
   * One account: its tokens (any of them authenticates) and its initial signing keys.
   *
   * @param name stable id of the tenant (owns its queues, groups, messages)
   * @param tokens bearer tokens of this tenant
   * @param currentSigningKey key that signs deliveries
   * @param nextSigningKey key that takes over on rotation
   */
  public record Tenant(
      String name, List<String> tokens, String currentSigningKey, String nextSigningKey) {
    public Tenant {
      tokens = List.copyOf(tokens);
    }
  }
}
