package dev.ferry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigDurationsTest {

  @Test
  void go_style_units_and_days_parse() {
    assertEquals(Duration.ofSeconds(10), ConfigDurations.parse("10s"));
    assertEquals(Duration.ofMinutes(15), ConfigDurations.parse("15m"));
    assertEquals(Duration.ofHours(2), ConfigDurations.parse("2h"));
    assertEquals(Duration.ofDays(365), ConfigDurations.parse("365d"));
    assertEquals(Duration.ofMillis(250), ConfigDurations.parse("250ms"));
    assertEquals(Duration.ofMinutes(90), ConfigDurations.parse("1h30m"));
    assertEquals(Duration.ofMinutes(90), ConfigDurations.parse("1.5h"));
    assertEquals(
        Duration.ofDays(1).plusHours(10).plusMinutes(30), ConfigDurations.parse("1d10h30m"));
    assertEquals(Duration.ZERO, ConfigDurations.parse("0"));
  }

  @Test
  void iso_8601_is_accepted_too() {
    assertEquals(Duration.ofSeconds(10), ConfigDurations.parse("PT10S"));
    assertEquals(Duration.ofDays(365), ConfigDurations.parse("P365D"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "10", "10 s", "s", "10x", "1h 30m", "-5s", "1.h", "PT", "999999999999d"})
  void anything_else_is_rejected(String text) {
    assertThrows(IllegalArgumentException.class, () -> ConfigDurations.parse(text));
  }
}
