package dev.ferry.api.publish;

import dev.ferry.error.ApiException;
import dev.ferry.model.HeaderNames;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses {@code Upstash-Redact-Fields}: a comma list of {@code body}, {@code header} or {@code
 * headers} (every header), {@code header[Name]} or {@code headers[Name]} (one header) — the SDKs
 * send the singular forms, the docs show both. Normalised to {@code body}, {@code header} and
 * {@code header[Canonical-Name]} for storage. Pure.
 */
public final class RedactFields {
  /** The header, lower-case like every name in a parsed request. */
  public static final String HEADER = "upstash-redact-fields";

  private RedactFields() {}

  /** The normalised list, or null when the header is absent or empty; anything else is a 400. */
  public static String parse(List<String> values) {
    if (values == null) return null;
    Set<String> fields = new LinkedHashSet<>();
    for (String value : values) {
      for (String part : value.split(",")) {
        String f = part.trim();
        if (f.isEmpty()) continue;
        String lower = f.toLowerCase(Locale.ROOT);
        if (lower.equals("body")) {
          fields.add("body");
        } else if (lower.equals("header") || lower.equals("headers")) {
          fields.add("header");
        } else if ((lower.startsWith("header[") || lower.startsWith("headers["))
            && f.endsWith("]")) {
          String name = f.substring(f.indexOf('[') + 1, f.length() - 1).trim();
          if (!HeaderNames.isValidName(name)) {
            throw ApiException.badRequest(
                "Upstash-Redact-Fields: invalid header name in \"" + f + "\"");
          }
          fields.add("header[" + HeaderNames.canonical(name) + "]");
        } else {
          throw ApiException.badRequest(
              "Upstash-Redact-Fields: unknown field \""
                  + f
                  + "\" (use body, header or header[Name])");
        }
      }
    }
    return fields.isEmpty() ? null : String.join(",", fields);
  }
}
