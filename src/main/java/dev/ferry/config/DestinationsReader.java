package dev.ferry.config;

import dev.ferry.egress.Cidr;
import java.util.List;

/**
 * Reads the {@code destinations} section (SSRF policy): the mode, and CIDR blocks that must parse.
 */
final class DestinationsReader {
  private DestinationsReader() {}

  static FerryConfig.Destinations read(ConfigSection s) {
    return new FerryConfig.Destinations(
        s.oneOf("mode", List.of("default", "public")),
        cidrs(s, "allowCidrs"),
        s.strings("allowHosts"),
        cidrs(s, "denyCidrs"),
        s.bool("dangerouslyAllowMetadata"));
  }

  private static List<String> cidrs(ConfigSection s, String key) {
    List<String> values = s.strings(key);
    for (int i = 0; i < values.size(); i++) {
      try {
        Cidr.parse(values.get(i));
      } catch (IllegalArgumentException bad) {
        s.problem(key + "[" + i + "]", bad.getMessage());
      }
    }
    return values.stream().filter(DestinationsReader::parses).toList();
  }

  private static boolean parses(String cidr) {
    try {
      Cidr.parse(cidr);
      return true;
    } catch (IllegalArgumentException bad) {
      return false;
    }
  }
}
