package dev.ferry.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.model.Message;
import dev.ferry.model.MessageState;
import dev.ferry.testing.MessageBuilder;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every filter of the logs, DLQ and cancel endpoints, on its own and combined. */
class MessageFilterTest {
  private static final Message M =
      MessageBuilder.message("msg_1", "t", "https://api.example:8443/hooks/a?x=1,2")
          .topicName("group")
          .endpointName("ep")
          .queueName("jobs")
          .headers(Map.of())
          .body(new byte[0])
          .maxRetries(3)
          .createdAt(1000)
          .callerIp("10.0.0.7")
          .labels(List.of("red", "blue"))
          .scheduleId("scd_9")
          .build();

  private static MessageFilter query(Map<String, List<String>> params) {
    return MessageFilter.parse(MessageFilter.ofQuery(name -> params.getOrDefault(name, List.of())));
  }

  @Test
  void each_message_field_filters_and_values_are_or_ed() {
    assertTrue(query(Map.of()).matches(M));
    assertTrue(query(Map.of()).selectsAll());
    assertTrue(query(Map.of("url", List.of("https://api.example:8443/hooks/a?x=1,2"))).matches(M));
    assertTrue(
        query(Map.of("url", List.of("https://other/,https://api.example:8443/hooks/a?x=1,2")))
            .matches(M));
    assertTrue(query(Map.of("host", List.of("api.example"))).matches(M));
    assertTrue(query(Map.of("host", List.of("api.example:8443"))).matches(M));
    assertFalse(query(Map.of("host", List.of("example"))).matches(M));
    assertTrue(query(Map.of("path", List.of("/x", "/hooks/a"))).matches(M));
    assertTrue(query(Map.of("topicName", List.of("group"))).matches(M));
    assertTrue(query(Map.of("urlGroup", List.of("group"))).matches(M));
    assertTrue(query(Map.of("queueName", List.of("other,jobs"))).matches(M));
    assertFalse(query(Map.of("queueName", List.of("other"))).matches(M));
    assertTrue(query(Map.of("scheduleId", List.of("scd_9"))).matches(M));
    assertTrue(query(Map.of("callerIp", List.of("10.0.0.7"))).matches(M));
    assertTrue(query(Map.of("callerIP", List.of("10.0.0.7"))).matches(M));
    assertTrue(query(Map.of("label", List.of("green", "blue"))).matches(M));
    assertFalse(query(Map.of("label", List.of("green"))).matches(M));
    assertFalse(query(Map.of("flowControlKey", List.of("k"))).matches(M));
    assertTrue(query(Map.of("messageIds", List.of("msg_0,msg_1"))).matches(M));
    assertTrue(query(Map.of("messageId", List.of("msg_1"))).matches(M));
  }

  @Test
  void different_filters_are_and_ed() {
    assertTrue(query(Map.of("label", List.of("red"), "queueName", List.of("jobs"))).matches(M));
    assertFalse(query(Map.of("label", List.of("red"), "queueName", List.of("other"))).matches(M));
  }

  @Test
  void states_dates_and_statuses_parse() {
    MessageFilter f =
        query(
            Map.of(
                "state",
                List.of("IN_PROGRESS", "cancelled"),
                "fromDate",
                List.of("10"),
                "toDate",
                List.of("20"),
                "responseStatus",
                List.of("500,404")));
    assertEquals(
        EnumSet.of(
            MessageState.ACTIVE, MessageState.RETRY, MessageState.ERROR, MessageState.CANCELED),
        f.states());
    assertTrue(f.inTime(10) && f.inTime(20));
    assertFalse(f.inTime(9) || f.inTime(21));
    assertEquals(Set.of(500, 404), f.responseStatuses());
    assertFalse(f.selectsAll());
  }

  @Test
  void legacy_json_bodies_take_strings_numbers_and_arrays() {
    MessageFilter f =
        MessageFilter.parse(
            MessageFilter.ofJson(
                Map.of(
                    "messageIds",
                    List.of("a", "b"),
                    "queueName",
                    "jobs",
                    "fromDate",
                    5L,
                    "callerIP",
                    "10.0.0.7")));
    assertEquals(Set.of("a", "b"), f.messageIds());
    assertEquals(Set.of("jobs"), f.queueNames());
    assertEquals(5, f.fromDate());
    assertEquals(Set.of("10.0.0.7"), f.callerIps());
  }

  @Test
  void bad_values_name_their_parameter() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> query(Map.of("state", List.of("DONE"))))
            .getMessage()
            .startsWith("state"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> query(Map.of("toDate", List.of("-1"))))
            .getMessage()
            .startsWith("toDate"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class, () -> query(Map.of("responseStatus", List.of("x"))))
            .getMessage()
            .startsWith("responseStatus"));
    assertThrows(
        IllegalArgumentException.class,
        () -> MessageFilter.parse(MessageFilter.ofJson(Map.of("url", Map.of("nested", 1)))));
  }
}
