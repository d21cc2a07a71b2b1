package dev.ferry.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Every process the bench starts: the servers under test (Ferry, the instruments) and the sink,
 * each a JVM of its own with its output in a log file. Stops them one by one; a shutdown hook kills
 * whatever is left (Ctrl-C, failure), with their descendants. Used from the orchestrator's main
 * thread only, apart from the hook.
 */
final class Children implements AutoCloseable {
  /** One started process. */
  record Child(String name, Process process, Path log) {
    long pid() {
      return process.pid();
    }

    /** Throws with the end of its log if the process has exited. */
    void checkAlive() {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name
                + " exited with status "
                + process.exitValue()
                + "; log "
                + log
                + ":\n"
                + tail(log, 30));
      }
    }
  }

  private final Path logDir;
  private final String java;
  private final List<Child> running = new CopyOnWriteArrayList<>();
  private final Thread hook = new Thread(this::killAll, "bench-kill-children");

  Children(Path logDir, String java) {
    this.logDir = logDir;
    this.java = java;
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Starts {@code java <jvmFlags> <args>} with a clean {@code FERRY_*} environment plus {@code
   * env}.
   */
  Child startJava(
      String name,
      List<String> jvmFlags,
      List<String> args,
      Map<String, String> env,
      Path workDir) {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmFlags);
    command.addAll(args);
    return start(name, command, env, workDir);
  }

  /** Starts {@code command} with a clean {@code FERRY_*} environment plus {@code env}. */
  Child start(String name, List<String> command, Map<String, String> env, Path workDir) {
    Path log = logDir.resolve(name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("FERRY_")); // only what the bench sets
    builder.environment().putAll(env);
    try {
      Files.writeString(log, "");
      Child child = new Child(name, builder.start(), log);
      running.add(child);
      return child;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
    }
  }

  /** SIGTERM, then SIGKILL after {@code graceSeconds}; descendants are killed too. */
  void stop(Child child, int graceSeconds) {
    running.remove(child);
    Process p = child.process();
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroy();
    try {
      if (!p.waitFor(graceSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    for (Child child : List.copyOf(running)) {
      stop(child, 5);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs anyway and finds nothing left
    }
  }

  private void killAll() {
    for (Child child : running) {
      child.process().descendants().forEach(ProcessHandle::destroyForcibly);
      child.process().destroyForcibly();
    }
  }

  /** The last {@code lines} lines of a log file (for error messages). */
  static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }
}
