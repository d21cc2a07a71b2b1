package dev.ferry.api;

import dev.ferry.egress.AddressPolicy;
import dev.ferry.error.ApiException;
import dev.ferry.ingest.PublishCommand;
import dev.ferry.model.CallbackConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The publish-time half of the SSRF check: a URL whose host is an IP literal the {@link
 * AddressPolicy} refuses is a 400 now, for destinations, URL-group endpoints, callbacks, failure
 * callbacks and schedules. Host names pass here and are judged on their resolved addresses at
 * connect time ({@code delivery.DestinationGuard}). Thread-safe; shared by handlers.
 */
public final class AddressCheck {
  /**
   * How many accepted URLs are remembered; past it the memory starts over (a cache, not a record).
   */
  static final int MAX_REMEMBERED = 4096;

  private final AddressPolicy policy;

  /**
   * URLs accepted lately. The verdict depends on the URL alone (the policy is fixed, host names
   * pass here), and batches and busy publishers repeat their destinations: parsing each one again
   * was 6% of the event loops' time on batch publish. Refusals are not remembered: they are rare
   * and answered with an error anyway.
   */
  private final Set<String> accepted = ConcurrentHashMap.newKeySet();

  public AddressCheck(AddressPolicy policy) {
    this.policy = policy;
  }

  /**
   * @param what names the field in the error, e.g. {@code "Upstash-Callback"} or {@code
   *     "endpoints[2].url"}
   * @throws ApiException 400 when the URL's literal address is refused
   */
  public void url(String url, String what) {
    if (url == null || accepted.contains(url)) return;
    String why = policy.refusalOfUrl(url);
    if (why != null) throw ApiException.badRequest(what + ": " + why);
    if (accepted.size() >= MAX_REMEMBERED) accepted.clear();
    accepted.add(url);
  }

  /** The destination, callback and failure callback of a publish (or batch entry). */
  public void command(PublishCommand c) {
    url(c.url(), "destination");
    callback(c.callback(), "Upstash-Callback");
    callback(c.failureCallback(), "Upstash-Failure-Callback");
  }

  /** Callback URLs kept as raw headers (a schedule's pending configuration), lower-case names. */
  public void callbackHeaders(Map<String, List<String>> headers) {
    for (String[] h :
        new String[][] {
          {"upstash-callback", "Upstash-Callback"},
          {"upstash-failure-callback", "Upstash-Failure-Callback"}
        }) {
      List<String> values = headers.get(h[0]);
      if (values != null && !values.isEmpty() && values.get(0) != null)
        url(values.get(0).trim(), h[1]);
    }
  }

  private void callback(CallbackConfig c, String what) {
    if (c != null) url(c.url(), what);
  }
}
