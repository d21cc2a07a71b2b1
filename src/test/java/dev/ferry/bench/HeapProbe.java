package dev.ferry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Live heap of another JVM: {@code jcmd <pid> GC.class_histogram} runs a full GC and lists every
 * live object; its {@code Total} line is the live heap in bytes. The same probe is used on Ferry
 * and on the heap instrument.
 */
final class HeapProbe {
  private HeapProbe() {}

  static long liveBytes(long pid) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    String command = Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd";
    try {
      Process p =
          new ProcessBuilder(command, Long.toString(pid), "GC.class_histogram")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("jcmd timed out");
      }
      return total(out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run jcmd (a JDK is needed): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The bytes column of the histogram's {@code Total <instances> <bytes>} line. */
  static long total(String histogram) {
    for (String line : histogram.split("\n")) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length == 3 && parts[0].equals("Total")) return Long.parseLong(parts[2]);
    }
    throw new IllegalStateException("no Total line in jcmd output:\n" + histogram);
  }
}
