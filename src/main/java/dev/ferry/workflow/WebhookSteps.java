package dev.ferry.workflow;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Webhook steps. The SDK mints a webhook's event id with {@code Math.random}, whose state can be
 * recovered from outputs the same process hands out (a public endpoint answers every plain request
 * with a fresh run id from the same generator), and the rest of the hook URL (user id, run id) is
 * not secret either. So Ferry replaces the event id of every {@code CreateWebhook} step it accepts
 * with 192 random bits of its own, in {@code out} and in the URL; the route reads the step back
 * from the list Ferry delivers, so it waits for and hands out Ferry's id. A hook call is accepted
 * only for an event id found in a {@code CreateWebhook} step of that run. Pure, thread-safe.
 */
final class WebhookSteps {
  static final String CREATE = "CreateWebhook";
  static final String WAIT = "WaitForWebhook";

  private static final SecureRandom RANDOM = new SecureRandom();

  private WebhookSteps() {}

  /** {@code body} with a new event id when it is a {@code CreateWebhook} step; else as it is. */
  static byte[] withFerryEventId(byte[] body) {
    Optional<JsonObject> step = createStep(body);
    if (step.isEmpty()) return body;
    JsonObject out = out(step.get()).orElse(null);
    if (out == null || !(out.getValue("eventId") instanceof String old)) return body;
    String fresh = newEventId();
    String url = out.getString("webhookUrl", "");
    String suffix = "/" + old;
    if (url.endsWith(suffix)) url = url.substring(0, url.length() - suffix.length()) + "/" + fresh;
    JsonObject replaced = new JsonObject().put("webhookUrl", url).put("eventId", fresh);
    return step.get().put("out", replaced.encode()).toBuffer().getBytes();
  }

  /** The event id a {@code CreateWebhook} step created, if {@code body} is one. */
  static Optional<String> createdEventId(byte[] body) {
    return createStep(body)
        .flatMap(WebhookSteps::out)
        .map(out -> out.getValue("eventId"))
        .filter(String.class::isInstance)
        .map(String.class::cast);
  }

  /** Whether a waiting step (a JSON object's text) waits for a webhook call. */
  static boolean waitsForWebhook(String step) {
    try {
      return WAIT.equals(new JsonObject(step).getValue("stepType"));
    } catch (DecodeException | ClassCastException e) {
      return false;
    }
  }

  private static Optional<JsonObject> createStep(byte[] body) {
    if (body == null || body.length == 0 || body[0] != '{') return Optional.empty();
    try {
      JsonObject step = new JsonObject(io.vertx.core.buffer.Buffer.buffer(body));
      return CREATE.equals(step.getValue("stepType")) ? Optional.of(step) : Optional.empty();
    } catch (DecodeException | ClassCastException e) {
      return Optional.empty();
    }
  }

  private static Optional<JsonObject> out(JsonObject step) {
    if (!(step.getValue("out") instanceof String text)) return Optional.empty();
    try {
      return Optional.of(new JsonObject(text));
    } catch (DecodeException | ClassCastException e) {
      return Optional.empty();
    }
  }

  private static String newEventId() {
    byte[] bits = new byte[24];
    RANDOM.nextBytes(bits);
    return "evt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
  }
}
