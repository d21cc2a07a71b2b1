package dev.ferry.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What Redis did per message over the counted windows, from {@code INFO stats} and {@code INFO
 * commandstats} read at both ends of each window and summed over the counted runs: commands per
 * message by name (commands run inside a Lua script count under their own name, the script call
 * under {@code evalsha}), and reads per message ({@code total_reads_processed}: one per read event
 * on a client connection, so a pipeline or a script call that arrives in one read is one round
 * trip). The bench's own INFO calls are left out. Parsing and arithmetic are pure; {@link #read}
 * talks to the server.
 */
final class RedisStats {
  private static final int COMMANDS_SHOWN = 6;

  /** The counters of one {@code INFO}: calls per command, and read events. */
  record Snapshot(Map<String, Long> calls, long reads) {
    /** Parses the text of {@code INFO stats commandstats}. */
    static Snapshot parse(String info) {
      Map<String, Long> calls = new HashMap<>();
      long reads = 0;
      for (String line : info.split("\r?\n")) {
        if (line.startsWith("cmdstat_")) {
          int colon = line.indexOf(':');
          String name = line.substring("cmdstat_".length(), colon);
          for (String field : line.substring(colon + 1).split(",")) {
            if (field.startsWith("calls=")) {
              calls.put(name, Long.parseLong(field.substring("calls=".length())));
            }
          }
        } else if (line.startsWith("total_reads_processed:")) {
          reads = Long.parseLong(line.substring("total_reads_processed:".length()).trim());
        }
      }
      return new Snapshot(Map.copyOf(calls), reads);
    }
  }

  private final Map<String, Long> calls = new HashMap<>();
  private long reads;
  private double messages;

  /**
   * Adds the window from {@code start} to {@code end} (two INFO calls apart), which handled {@code
   * messages}.
   */
  synchronized void add(Snapshot start, Snapshot end, double messages) {
    end.calls()
        .forEach(
            (name, n) -> {
              if (!name.equals("info")) {
                long delta = n - start.calls().getOrDefault(name, 0L);
                if (delta > 0) calls.merge(name, delta, Long::sum);
              }
            });
    // each INFO has a connection of its own: the start's close and the end's request are two reads
    reads += end.reads() - start.reads() - 2;
    this.messages += messages;
  }

  /** All commands per message, script calls and the commands they ran alike. */
  synchronized double commandsPer() {
    return calls.values().stream().mapToLong(Long::longValue).sum() / messages;
  }

  synchronized double readsPer() {
    return reads / messages;
  }

  /**
   * One line: commands per message in all and by name (largest first), and reads per message. Null
   * when nothing was recorded.
   */
  synchronized String describe(String side, String unit) {
    if (messages <= 0) return null;
    List<Map.Entry<String, Long>> byCount = new ArrayList<>(calls.entrySet());
    byCount.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    StringBuilder out =
        new StringBuilder(side)
            .append(" Redis per ")
            .append(unit)
            .append(" (counted runs): ")
            .append(format(commandsPer()))
            .append(" commands (");
    long rest = 0;
    for (int i = 0; i < byCount.size(); i++) {
      if (i < COMMANDS_SHOWN) {
        if (i > 0) out.append(", ");
        out.append(byCount.get(i).getKey())
            .append(' ')
            .append(format(byCount.get(i).getValue() / messages));
      } else {
        rest += byCount.get(i).getValue();
      }
    }
    if (rest > 0) out.append(", other ").append(format(rest / messages));
    return out.append("); ").append(format(readsPer())).append(" round trips (reads)").toString();
  }

  private static String format(double value) {
    return value >= 10 ? String.format("%.1f", value) : String.format("%.3f", value);
  }

  /** {@code INFO stats commandstats} of the server on {@code port}. */
  static Snapshot read(int port) {
    return Snapshot.parse(command(port, "INFO stats commandstats"));
  }

  /** Polls PING until the server answers, the process dies, or the timeout passes. */
  static void awaitReady(Children.Child child, int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      child.checkAlive();
      try {
        if (command(port, "PING").contains("PONG")) return;
      } catch (IllegalStateException e) {
        if (System.nanoTime() > deadline) throw e;
      }
      Control.sleep(100);
    }
  }

  /**
   * Sends one inline command and returns its reply's text: a bulk string's content, or a simple
   * reply's line.
   */
  static String command(int port, String inline) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      String first = line(in);
      if (!first.startsWith("$")) return first;
      int length = Integer.parseInt(first.substring(1));
      byte[] body = in.readNBytes(length);
      return new String(body, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("redis on port " + port + ": " + inline + ": " + e, e);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
      if (c != '\r') line.write(c);
    }
    return line.toString(StandardCharsets.UTF_8);
  }
}
