package dev.ferry.config;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads and checks {@code tenants}: names unique and safe, every tenant has tokens and both signing
 * keys, no token shared between tenants. Part of {@link ConfigReader}; problems go into its list.
 */
final class TenantReader {

  // Tenant names end up in store keys: keep them to an alphabet that needs no escaping anywhere.
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final List<String> problems;

  TenantReader(List<String> problems) {
    this.problems = problems;
  }

  List<FerryConfig.Tenant> read(JsonArray list, ConfigPath path) {
    if (list.isEmpty()) {
      problems.add(
          path
              + ": at least one tenant is required; define tenants[0] in the config file, or "
              + String.join(
                  ", ",
                  envNames(
                      path.index(0),
                      List.of("name", "tokens", "currentSigningKey", "nextSigningKey")))
              + ", or start with --dev");
      return List.of();
    }
    List<FerryConfig.Tenant> tenants = new ArrayList<>();
    Map<String, ConfigPath> nameOwners = new HashMap<>();
    Map<String, ConfigPath> tokenOwners = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      ConfigPath tenantPath = path.index(i);
      ConfigSection s = new ConfigSection(list.getJsonObject(i), tenantPath, problems);
      String name = name(s, nameOwners);
      List<String> tokens = s.strings("tokens");
      String current = s.string("currentSigningKey");
      String next = s.string("nextSigningKey");
      requireCredentials(s, name);
      checkTokensUnique(tenantPath.key("tokens"), tokens, tokenOwners);
      tenants.add(new FerryConfig.Tenant(name, tokens, current, next));
    }
    return tenants;
  }

  private String name(ConfigSection s, Map<String, ConfigPath> owners) {
    String name = s.nonEmptyString("name");
    if (name.isBlank()) {
      return name;
    }
    if (!NAME.matcher(name).matches()) {
      s.problem(
          "name",
          "must be 1 to 64 letters, digits, '.', '_' or '-', got "
              + ConfigValues.describe(name, false));
    }
    ConfigPath earlier = owners.putIfAbsent(name, s.path);
    if (earlier != null) {
      s.problem(
          "name",
          "duplicate tenant name "
              + ConfigValues.describe(name, false)
              + " (also "
              + earlier
              + ")");
    }
    return name;
  }

  /**
   * Credentials are secrets, so the shipped file leaves them empty for the environment to fill in;
   * this is the message a first-time user sees, so it names exactly the keys and variables to set,
   * and {@code --dev}.
   */
  private void requireCredentials(ConfigSection s, String name) {
    List<String> missing = new ArrayList<>();
    if (s.raw("tokens") instanceof JsonArray tokens && tokens.isEmpty()) {
      missing.add("tokens");
    }
    for (String key : List.of("currentSigningKey", "nextSigningKey")) {
      if (s.raw(key) instanceof String value && value.isBlank()) {
        missing.add(key);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    List<String> keys = missing.stream().map(key -> s.path.key(key).toString()).toList();
    String who = name.isBlank() ? "" : " (tenant " + ConfigValues.describe(name, false) + ")";
    problems.add(
        s.path
            + who
            + ": missing "
            + String.join(", ", keys)
            + " — set them in the config file or with the environment variables "
            + String.join(", ", envNames(s.path, missing))
            + " (tokens comma-separated), or start with --dev to use the QStash dev server's users and keys");
  }

  private void checkTokensUnique(
      ConfigPath tokensPath, List<String> tokens, Map<String, ConfigPath> owners) {
    for (int i = 0; i < tokens.size(); i++) {
      ConfigPath here = tokensPath.index(i);
      ConfigPath earlier = owners.putIfAbsent(tokens.get(i), here);
      // Never print the token itself: messages end up in logs.
      if (earlier != null) {
        problems.add(
            here
                + ": this token is already used by "
                + earlier
                + "; a token must identify exactly one tenant");
      }
    }
  }

  private static List<String> envNames(ConfigPath tenantPath, List<String> keys) {
    return keys.stream().map(key -> tenantPath.key(key).envName()).toList();
  }
}
