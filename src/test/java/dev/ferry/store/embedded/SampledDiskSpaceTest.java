package dev.ferry.store.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The writers' free-space check: far above the reserve it asks the volume at most every 50 ms, near
 * the reserve on every call, so a volume filling up is seen exactly as before once it matters.
 */
class SampledDiskSpaceTest {
  private static final long RESERVE = 1_000;
  private static final long MS = 1_000_000;

  private final AtomicLong free = new AtomicLong();
  private final AtomicInteger asked = new AtomicInteger();
  private final AtomicLong now = new AtomicLong(123 * MS);
  private final DiskSpace volume =
      () -> {
        asked.incrementAndGet();
        return free.get();
      };

  @Test
  void far_above_the_reserve_a_reading_serves_for_50_ms_then_the_volume_is_asked_again() {
    free.set(100 * RESERVE);
    SampledDiskSpace disk = new SampledDiskSpace(volume, RESERVE, now::get);

    assertEquals(100 * RESERVE, disk.usableBytes());
    free.set(50 * RESERVE);
    now.addAndGet(49 * MS);
    assertEquals(100 * RESERVE, disk.usableBytes(), "a reading 49 ms old, far above the reserve");
    assertEquals(1, asked.get());

    now.addAndGet(MS);
    assertEquals(50 * RESERVE, disk.usableBytes(), "50 ms later the volume is asked again");
    assertEquals(2, asked.get());
  }

  @Test
  void within_four_reserves_every_call_asks_the_volume() {
    free.set(4 * RESERVE);
    SampledDiskSpace disk = new SampledDiskSpace(volume, RESERVE, now::get);

    assertEquals(4 * RESERVE, disk.usableBytes());
    free.set(RESERVE - 1);
    assertEquals(
        RESERVE - 1, disk.usableBytes(), "no time passed, but the volume is near the reserve");
    free.set(10 * RESERVE);
    assertEquals(10 * RESERVE, disk.usableBytes(), "space came back: seen at the next call");
    assertEquals(3, asked.get());
  }

  @Test
  void without_a_reserve_every_call_asks_the_volume() {
    free.set(Long.MAX_VALUE / 2);
    SampledDiskSpace disk = new SampledDiskSpace(volume, 0, now::get);

    disk.usableBytes();
    disk.usableBytes();
    assertEquals(2, asked.get());
  }

  @Test
  void a_reserve_too_large_to_multiply_counts_every_volume_as_near() {
    free.set(Long.MAX_VALUE - 1);
    SampledDiskSpace disk = new SampledDiskSpace(volume, Long.MAX_VALUE / 2, now::get);

    disk.usableBytes();
    disk.usableBytes();
    assertEquals(2, asked.get());
  }
}
