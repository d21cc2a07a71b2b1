package dev.ferry.console;

import dev.ferry.delivery.DeliveryEvents;
import dev.ferry.egress.DestinationHosts;
import dev.ferry.model.AttemptResult;
import dev.ferry.model.Message;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What each tenant's messages did lately, for the console's overview: published, delivered, retried
 * and failed per minute (the last hour), attempts in flight, and failed attempts per destination
 * host. In memory only, counted since start. Hears ingest and delivery (wired in {@code Ferry});
 * every event is a map lookup and a few array writes, on whichever thread reports it. Bounded:
 * tenants come from the configuration, hosts are capped per tenant.
 */
public final class TenantActivity implements DeliveryEvents {
  static final int MINUTES = 60;
  static final int PUBLISHED = 0;
  static final int DELIVERED = 1;
  static final int RETRIED = 2;
  static final int FAILED = 3;
  private static final int KINDS = 4;

  /** Failures per host are kept for this many minutes. */
  static final int HOST_MINUTES = 15;

  /**
   * Distinct hosts tracked per tenant; failures to further hosts count under {@link #OTHER_HOSTS}.
   */
  static final int MAX_HOSTS = 200;

  static final String OTHER_HOSTS = "(other hosts)";

  private final Clock clock;
  private final ConcurrentHashMap<String, Tenant> byTenant = new ConcurrentHashMap<>();

  public TenantActivity(Clock clock) {
    this.clock = clock;
  }

  /** Failed attempts to one host in the window, and the last error seen. */
  public record HostFailures(String host, long failures, String lastError) {}

  private static final class Tenant {
    final MinuteCounts counts = new MinuteCounts(MINUTES, KINDS);
    final LongAdder inFlight = new LongAdder();
    final ConcurrentHashMap<String, Host> hosts = new ConcurrentHashMap<>();
  }

  private static final class Host {
    final MinuteCounts failures = new MinuteCounts(HOST_MINUTES, 1);
    volatile String lastError = "";
  }

  /** Messages were durably stored (the ingest callback). */
  public void published(List<Message> stored) {
    long now = clock.millis();
    String tenant = null;
    int run = 0;
    for (Message m : stored) {
      if (!m.tenant().equals(tenant)) {
        if (run > 0) tenant(tenant).counts.add(now, PUBLISHED, run);
        tenant = m.tenant();
        run = 0;
      }
      run++;
    }
    if (run > 0) tenant(tenant).counts.add(now, PUBLISHED, run);
  }

  @Override
  public void attemptStarted(Message m) {
    tenant(m.tenant()).inFlight.increment();
  }

  @Override
  public void attemptEnded(
      Message m, AttemptResult result, long attemptNanos, Outcome outcome, long retryAt) {
    Tenant t = tenant(m.tenant());
    t.inFlight.decrement();
    long now = clock.millis();
    switch (outcome) {
      case DELIVERED -> t.counts.add(now, DELIVERED, 1);
      case RETRY -> t.counts.add(now, RETRIED, 1);
      case FAILED, FAILED_IN_RUN -> t.counts.add(now, FAILED, 1);
      case UNRECORDED -> {}
    }
    if (!result.delivered()) hostFailed(t, DestinationHosts.of(m.url()), result, now);
  }

  private static void hostFailed(Tenant t, String name, AttemptResult result, long now) {
    Host host = t.hosts.get(name);
    if (host == null) {
      String key = t.hosts.size() >= MAX_HOSTS ? OTHER_HOSTS : name;
      host = t.hosts.computeIfAbsent(key, k -> new Host());
    }
    host.failures.add(now, 0, 1);
    host.lastError =
        result.status() > 0 ? "HTTP " + result.status() : String.valueOf(result.error());
  }

  /**
   * Per minute, oldest first, the last {@code minutes} minutes: {@code [published, delivered,
   * retried, failed]}.
   */
  public long[][] perMinute(String tenant, int minutes) {
    Tenant t = byTenant.get(tenant);
    long[][] none = new long[Math.min(minutes, MINUTES)][KINDS];
    return t == null ? none : t.counts.recent(clock.millis(), minutes);
  }

  public long inFlight(String tenant) {
    Tenant t = byTenant.get(tenant);
    return t == null ? 0 : Math.max(0, t.inFlight.sum());
  }

  /**
   * The hosts with the most failed attempts in the last {@link #HOST_MINUTES} minutes, most first.
   */
  public List<HostFailures> failingHosts(String tenant, int limit) {
    Tenant t = byTenant.get(tenant);
    if (t == null) return List.of();
    long now = clock.millis();
    List<HostFailures> all = new ArrayList<>();
    for (Map.Entry<String, Host> e : t.hosts.entrySet()) {
      long failures = e.getValue().failures.total(now, HOST_MINUTES, 0);
      if (failures > 0) all.add(new HostFailures(e.getKey(), failures, e.getValue().lastError));
    }
    all.sort(
        Comparator.comparingLong(HostFailures::failures)
            .reversed()
            .thenComparing(HostFailures::host));
    return all.subList(0, Math.min(limit, all.size()));
  }

  private Tenant tenant(String name) {
    Tenant t = byTenant.get(name);
    return t != null ? t : byTenant.computeIfAbsent(name, k -> new Tenant());
  }
}
