package dev.ferry.store.codec;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.assertSameAttempt;
import static dev.ferry.store.StoreFixtures.assertSameEntry;
import static dev.ferry.store.StoreFixtures.assertSameMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.model.AttemptResult;
import dev.ferry.model.DlqEntry;
import dev.ferry.model.Message;
import dev.ferry.store.StoreFixtures;
import dev.ferry.testing.MessageBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

  /**
   * A fixed message whose v1 bytes are pinned below: records already on disk must keep decoding.
   */
  private static final Message PINNED =
      MessageBuilder.message("msg_1", "t", "https://e/")
          .endpointName("ep")
          .queueName("q")
          .headers(Map.of("A", List.of("b")))
          .body(new byte[] {0, (byte) 0xFF})
          .maxRetries(3)
          .timeoutMillis(1500)
          .createdAt(T0)
          .callerIp("::1")
          .labels(List.of("l"))
          .retried(1)
          .dueAt(T0 + 1)
          .build();

  /** PINNED as the first release wrote it, before scheduleId was appended. */
  private static final String PINNED_V1 =
      "01"
          + "000001b8dac5b401" // version, dueAt
          + "066d73675f31"
          + "0274"
          + "0b68747470733a2f2f652f" // id, tenant, url
          + "00"
          + "036570"
          + "0271"
          + "05504f5354" // topicName (null), endpointName, queueName, method
          + "01"
          + "0241"
          + "01"
          + "0262" // headers: 1 name, "A", 1 value, "b"
          + "0200ff"
          + "06"
          + "00"
          + "b817" // body, maxRetries 3, retryDelayExpression (null), timeoutMillis 1500
          + "0000000000000000"
          + "000001b8dac5b400" // notBefore, createdAt
          + "043a3a31"
          + "01026c"
          + "02"; // callerIp, labels, retried 1

  /**
   * PINNED as this release writes it: v1 plus the appended scheduleId (null), callback, failure
   * callback and flow control (each an empty blob: null), and redactFields (null).
   */
  private static final String PINNED_CURRENT = PINNED_V1 + "00" + "000000" + "00";

  /** PINNED as the release that appended scheduleId wrote it. */
  private static final String PINNED_WITH_SCHEDULE = PINNED_V1 + "00";

  private static final Message SCHEDULED =
      MessageBuilder.message("msg_1", "t", "https://e/")
          .endpointName("ep")
          .queueName("q")
          .headers(Map.of("A", List.of("b")))
          .body(new byte[] {0, (byte) 0xFF})
          .maxRetries(3)
          .timeoutMillis(1500)
          .createdAt(T0)
          .callerIp("::1")
          .labels(List.of("l"))
          .retried(1)
          .dueAt(T0 + 1)
          .scheduleId("scd_1")
          .build();

  @Test
  void every_field_round_trips() {
    Message m = StoreFixtures.everyField("tenant-ü");
    assertSameMessage(m, MessageCodec.decodeMessage(MessageCodec.encode(m)));
  }

  @Test
  void nulls_and_empty_values_round_trip() {
    Message m = StoreFixtures.requiredOnly("t");
    Message back = MessageCodec.decodeMessage(MessageCodec.encode(m));
    assertSameMessage(m, back);
    assertEquals(null, back.topicName());
    assertEquals(0, back.body().length);
  }

  @Test
  void empty_string_is_not_null() {
    Message m =
        MessageBuilder.message("id", "t", "")
            .topicName("")
            .method("GET")
            .retryDelayExpression("")
            .callerIp("")
            .build();
    Message back = MessageCodec.decodeMessage(MessageCodec.encode(m));
    assertEquals("", back.topicName());
    assertEquals(null, back.endpointName());
    assertEquals("", back.retryDelayExpression());
  }

  @Test
  void text_encodes_exactly_like_java_utf8_including_unpaired_surrogates() {
    List<String> texts = new java.util.ArrayList<>();
    for (String s : List.of("ascii", "é", "€", "😀", "a\uD800b", "\uDC00", "x\uD83D")) {
      texts.add(s);
      texts.add(
          "0123456789abcdef-"
              + s
              + "-long enough for the encoder path"); // strings of 16+ chars go another way
    }
    for (String s : texts) {
      Message m = MessageBuilder.message("id", "t", s).method("GET").build();
      String expected = new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
      assertEquals(expected, MessageCodec.decodeMessage(MessageCodec.encode(m)).url(), s);
    }
  }

  @Test
  void negative_and_extreme_numbers_round_trip() {
    Message m =
        MessageBuilder.message("id", "t", "u")
            .method("GET")
            .maxRetries(-1)
            .timeoutMillis(Long.MIN_VALUE)
            .notBefore(Long.MAX_VALUE)
            .createdAt(-5)
            .retried(Integer.MAX_VALUE)
            .dueAt(Long.MIN_VALUE)
            .scheduleId("")
            .build();
    assertSameMessage(m, MessageCodec.decodeMessage(MessageCodec.encode(m)));
  }

  @Test
  void due_at_is_readable_from_the_first_nine_bytes() {
    Message m = StoreFixtures.everyField("t");
    byte[] prefix = Arrays.copyOf(MessageCodec.encode(m), MessageCodec.DUE_AT_END);
    assertEquals(m.dueAt(), MessageCodec.dueAtOf(prefix));
  }

  @Test
  void v1_message_layout_is_pinned() {
    assertEquals(PINNED_CURRENT, HexFormat.of().formatHex(MessageCodec.encode(PINNED)));
    assertSameMessage(PINNED, MessageCodec.decodeMessage(HexFormat.of().parseHex(PINNED_CURRENT)));
    assertSameMessage(
        PINNED, MessageCodec.decodeMessage(HexFormat.of().parseHex(PINNED_V1))); // written before
    assertSameMessage(
        PINNED, MessageCodec.decodeMessage(HexFormat.of().parseHex(PINNED_WITH_SCHEDULE)));
  }

  @Test
  void redact_fields_are_appended_after_schedule_id() {
    Message m =
        MessageBuilder.message("msg_1", "t", "https://e/")
            .endpointName("ep")
            .queueName("q")
            .headers(Map.of("A", List.of("b")))
            .body(new byte[] {0, (byte) 0xFF})
            .maxRetries(3)
            .timeoutMillis(1500)
            .createdAt(T0)
            .callerIp("::1")
            .labels(List.of("l"))
            .retried(1)
            .dueAt(T0 + 1)
            .redactFields("body")
            .build();
    assertEquals(
        PINNED_V1 + "00" + "000000" + "05626f6479",
        HexFormat.of().formatHex(MessageCodec.encode(m)));
    assertEquals("body", MessageCodec.decodeMessage(MessageCodec.encode(m)).redactFields());
  }

  /** Records written before scheduleId existed end after retried: they decode with no schedule. */
  @Test
  void a_record_from_before_schedule_id_decodes_without_one() {
    Message old = MessageCodec.decodeMessage(HexFormat.of().parseHex(PINNED_V1));
    assertSameMessage(PINNED, old);
    assertEquals(null, old.scheduleId());
    assertEquals(null, old.redactFields());
  }

  @Test
  void schedule_id_is_appended_after_retried() {
    assertEquals(
        PINNED_V1
            + "067363645f31"
            + "000000"
            + "00", // "scd_1", no callbacks, flow control, redactions
        HexFormat.of().formatHex(MessageCodec.encode(SCHEDULED)));
    assertEquals("scd_1", MessageCodec.decodeMessage(MessageCodec.encode(SCHEDULED)).scheduleId());
  }

  /** A rollback must read records of a newer release, whose extra fields follow the known ones. */
  @Test
  void trailing_fields_of_a_newer_release_are_ignored() {
    byte[] v1 = MessageCodec.encode(PINNED);
    byte[] newer = Arrays.copyOf(v1, v1.length + 5);
    newer[v1.length] = 4; // e.g. a string field "abc" appended by a later release
    assertSameMessage(PINNED, MessageCodec.decodeMessage(newer));
  }

  /**
   * Records written before callbacks and flow control existed end after scheduleId: they decode
   * without them.
   */
  @Test
  void a_record_from_before_callbacks_decodes_without_them() {
    Message old = MessageCodec.decodeMessage(HexFormat.of().parseHex(PINNED_V1 + "067363645f31"));
    assertSameMessage(SCHEDULED, old);
    assertEquals(null, old.callback());
    assertEquals(null, old.flowControl());
  }

  @Test
  void callbacks_and_flow_control_round_trip() {
    Message m = StoreFixtures.everyField("t");
    Message back = MessageCodec.decodeMessage(MessageCodec.encode(m));
    assertEquals(m.callback(), back.callback());
    assertEquals(m.failureCallback(), back.failureCallback());
    assertEquals(m.flowControl(), back.flowControl());
  }

  @Test
  void unknown_version_is_refused_not_misread() {
    byte[] bytes = MessageCodec.encode(PINNED);
    bytes[0] = 2;
    assertThrows(IllegalStateException.class, () -> MessageCodec.decodeMessage(bytes));
  }

  @Test
  void truncated_record_is_refused() {
    byte[] bytes = MessageCodec.encode(PINNED);
    assertThrows(
        IllegalStateException.class,
        () ->
            MessageCodec.decodeMessage(Arrays.copyOf(bytes, bytes.length - 6))); // into the labels
  }

  @Test
  void attempt_round_trips_with_and_without_error() {
    for (AttemptResult a :
        List.of(
            StoreFixtures.attempt(0),
            StoreFixtures.attempt(503),
            new AttemptResult(200, null, null, null, 0))) {
      assertSameAttempt(a, MessageCodec.decodeAttempt(MessageCodec.encode(a)));
    }
  }

  @Test
  void dlq_entry_round_trips() {
    DlqEntry e = StoreFixtures.dlqEntry("1893456000000-12", StoreFixtures.everyField("t"));
    assertSameEntry(e, MessageCodec.decodeDlqEntry(MessageCodec.encode(e)));
  }

  /**
   * Nested records are length-prefixed, so a message grown by a later release still leaves the
   * attempt readable.
   */
  @Test
  void dlq_entry_with_a_grown_message_still_decodes() {
    byte[] grown =
        Arrays.copyOf(MessageCodec.encode(PINNED), MessageCodec.encode(PINNED).length + 3);
    byte[] attempt = MessageCodec.encode(StoreFixtures.attempt(500));
    RecordWriter out =
        new RecordWriter(
            1
                + RecordWriter.sizeOfString("1-1")
                + RecordWriter.sizeOfBytes(grown)
                + RecordWriter.sizeOfBytes(attempt));
    out.writeByte(MessageCodec.DLQ_V1);
    out.writeString("1-1");
    out.writeBytes(grown);
    out.writeBytes(attempt);
    DlqEntry back = MessageCodec.decodeDlqEntry(out.finish());
    assertSameMessage(PINNED, back.message());
    assertSameAttempt(StoreFixtures.attempt(500), back.last());
  }

  @Test
  void body_bytes_are_not_shared_with_the_record() {
    byte[] record = MessageCodec.encode(PINNED);
    Message back = MessageCodec.decodeMessage(record);
    Arrays.fill(record, (byte) 0);
    assertArrayEquals(new byte[] {0, (byte) 0xFF}, back.body());
  }
}
