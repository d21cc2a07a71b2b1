package dev.ferry.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exit statuses of {@code ferry repair-store} (the repair itself: {@code
 * dev.ferry.crash.StoreCorruptionTest}).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RepairStoreCommandTest {
  @TempDir Path dir;

  @Test
  void bad_arguments_exit_with_2() {
    assertEquals(2, RepairStoreCommand.run(new String[0]));
    assertEquals(2, RepairStoreCommand.run(new String[] {"--data", dir.toString()}));
  }

  @Test
  void a_directory_without_a_store_is_not_created_but_refused_with_1() {
    assertEquals(
        1, RepairStoreCommand.run(new String[] {"--data-dir", dir.resolve("nothing").toString()}));
    assertEquals(false, dir.resolve("nothing").toFile().exists());
  }
}
