package dev.ferry.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RequestLineTest {

  @Test
  void publish_loses_the_whole_query_with_the_token_and_the_destinations_parameters() {
    assertEquals(
        "/v2/publish/https://example.com/hook",
        RequestLine.redact(
            "/v2/publish/https://example.com/hook?key=secret&qstash_token=tok&upstash-delay=1s"));
    assertEquals(
        "/v2/enqueue/orders/https://example.com/hook",
        RequestLine.redact("/v2/enqueue/orders/https://example.com/hook?key=secret"));
  }

  @Test
  void a_percent_encoded_destination_loses_its_encoded_query() {
    assertEquals(
        "/v2/publish/https%3A%2F%2Fexample.com%2Fhook",
        RequestLine.redact("/v2/publish/https%3A%2F%2Fexample.com%2Fhook%3Fkey%3Dsecret"));
    assertEquals(
        "/v2/publish/https%3a%2f%2fexample.com%2fhook",
        RequestLine.redact("/v2/publish/https%3a%2f%2fexample.com%2fhook%3fkey%3dsecret"));
  }

  @Test
  void user_info_in_a_destination_is_masked() {
    assertEquals(
        "/v2/publish/https://***@example.com/hook",
        RequestLine.redact("/v2/publish/https://user:pa55@example.com/hook"));
    assertEquals(
        "/v2/publish/https:/***@example.com/hook",
        RequestLine.redact("/v2/publish/https:/user:pa55@example.com/hook"));
    assertEquals(
        "/v2/publish/https%3A%2F%2F***@example.com%2Fhook",
        RequestLine.redact("/v2/publish/https%3A%2F%2Fuser%3Apa55%40example.com%2Fhook"));
    assertEquals(
        "/v2/publish/https://example.com/a@b",
        RequestLine.redact("/v2/publish/https://example.com/a@b"));
  }

  @Test
  void url_group_names_stay() {
    assertEquals(
        "/v2/publish/my-group", RequestLine.redact("/v2/publish/my-group?qstash_token=tok"));
  }

  @Test
  void other_routes_keep_their_query_without_the_token() {
    assertEquals("/v2/queues", RequestLine.redact("/v2/queues?qstash_token=tok"));
    assertEquals(
        "/v2/messages?cursor=5&count=2",
        RequestLine.redact("/v2/messages?cursor=5&QSTASH_TOKEN=tok&count=2"));
    assertEquals("/v2/keys", RequestLine.redact("/v2/keys"));
  }

  @Test
  void long_targets_are_cut() {
    String line = RequestLine.redact("/v2/publish/https://example.com/" + "a".repeat(5000));
    assertTrue(line.length() <= RequestLine.MAX_LENGTH + 3, "length " + line.length());
    assertTrue(line.endsWith("..."));
  }
}
