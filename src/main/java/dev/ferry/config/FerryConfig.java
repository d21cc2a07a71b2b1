package dev.ferry.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The whole configuration, immutable, read once at start-up from {@code conf/ferry.json} plus {@code FERRY_*}
 * environment overrides and command-line flags (see {@link ConfigLoader}). Each component receives only its slice.
 */
public record FerryConfig(Http http, Storage storage, Delivery delivery, Limits limits, List<Tenant> tenants) {

  /**
   * @param host            address to bind
   * @param port            HTTP port (0 = any free port)
   * @param instances       API event-loop verticles (0 = one per core)
   * @param drainTimeout    how long shutdown waits for in-flight requests
   */
  public record Http(String host, int port, int instances, Duration drainTimeout) {}

  /**
   * @param kind     "embedded" (RocksDB on local disk); "redis" comes later
   * @param dataDir  directory of the embedded store
   */
  public record Storage(String kind, Path dataDir) {}

  /**
   * @param instances             delivery event-loop verticles (0 = one per core)
   * @param maxConnectionsPerHost keep-alive pool size per destination host
   * @param defaultTimeout        per-attempt timeout when the message sets none
   * @param maxTimeout            largest accepted {@code Upstash-Timeout}
   * @param maxResponseBodyBytes  how much of a destination's response body is kept (DLQ, logs, callbacks)
   * @param maxInFlight           concurrent attempts per delivery instance for unqueued messages; the rest wait
   * @param horizon               how far ahead the scheduler keeps due times in memory
   */
  public record Delivery(int instances, int maxConnectionsPerHost, Duration defaultTimeout, Duration maxTimeout,
                         int maxResponseBodyBytes, int maxInFlight, Duration horizon) {}

  /**
   * @param maxMessageBytes      largest body of one message (publish, enqueue, batch entry) → 413 beyond
   * @param maxRequestBytes      largest request body (a batch) → 413 beyond
   * @param maxBatchEntries      most entries in one batch → 400 beyond
   * @param defaultRetries       retries when {@code Upstash-Retries} is absent
   * @param maxRetries           largest accepted {@code Upstash-Retries}
   * @param maxDelay             largest delay / not-before distance into the future
   * @param maxQueues            queues per tenant → 412 beyond
   * @param maxQueueParallelism  parallelism per queue → 412 beyond
   * @param maxUrlGroups         URL groups per tenant → 412 beyond
   * @param maxEndpointsPerGroup endpoints per URL group → 412 beyond
   */
  public record Limits(long maxMessageBytes, long maxRequestBytes, int maxBatchEntries, int defaultRetries,
                       int maxRetries, Duration maxDelay, int maxQueues, int maxQueueParallelism, int maxUrlGroups,
                       int maxEndpointsPerGroup) {}

  /**
   * One account: its tokens (any of them authenticates) and its initial signing keys.
   *
   * @param name               stable id of the tenant (owns its queues, groups, messages)
   * @param tokens             bearer tokens of this tenant
   * @param currentSigningKey  key that signs deliveries
   * @param nextSigningKey     key that takes over on rotation
   */
  public record Tenant(String name, List<String> tokens, String currentSigningKey, String nextSigningKey) {}
}
