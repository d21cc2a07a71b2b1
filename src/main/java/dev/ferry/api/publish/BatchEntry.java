package dev.ferry.api.publish;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of a batch body as {@link BatchJson} read it: the fields a publish needs, taken
 * straight from the parser's tokens, and where a field has the wrong shape the problem to report
 * for this entry. {@link BatchHandler} checks the fields in a fixed order, so an entry with several
 * problems always reports the same one whatever the order of its keys.
 *
 * @param object whether the entry is a JSON object (anything else is refused at its position)
 * @param destination the {@code destination} value as read (a String unless the entry is wrong), or
 *     null when absent
 * @param queue the {@code queue} value as read, or null when absent or JSON null
 * @param headers the {@code headers} object by lower-case name, values in order; empty when absent
 *     or when {@code headersError} is set
 * @param headersError what is wrong with {@code headers}, or null
 * @param body the {@code body} as UTF-8 bytes (an object or array as its compact JSON text); empty
 *     when absent or when {@code bodyError} is set
 * @param bodyError what is wrong with {@code body}, or null
 */
record BatchEntry(
    boolean object,
    Object destination,
    Object queue,
    Map<String, List<String>> headers,
    String headersError,
    byte[] body,
    String bodyError) {

  /** An element of the array that is not an object. */
  static final BatchEntry NOT_AN_OBJECT =
      new BatchEntry(false, null, null, Map.of(), null, new byte[0], null);

  /** Equal fields, the body compared by content. */
  @Override
  public boolean equals(Object o) {
    return o instanceof BatchEntry e
        && object == e.object
        && Objects.equals(destination, e.destination)
        && Objects.equals(queue, e.queue)
        && headers.equals(e.headers)
        && Objects.equals(headersError, e.headersError)
        && Arrays.equals(body, e.body)
        && Objects.equals(bodyError, e.bodyError);
  }

  @Override
  public int hashCode() {
    return Objects.hash(object, destination, queue, headers, headersError, bodyError)
        + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "BatchEntry[object=%s, destination=%s, queue=%s, headers=%s, headersError=%s, body=%s, bodyError=%s]"
        .formatted(
            object,
            destination,
            queue,
            headers,
            headersError,
            new String(body, StandardCharsets.UTF_8),
            bodyError);
  }

  /** The URL group this entry publishes to (a destination that is not a URL), or null. */
  String urlGroupName() {
    return object
            && destination instanceof String d
            && !d.startsWith("http://")
            && !d.startsWith("https://")
            && !d.startsWith("http%")
            && !d.startsWith("https%")
        ? d
        : null;
  }
}
