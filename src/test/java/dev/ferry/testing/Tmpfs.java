package dev.ferry.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for one test: a real volume that really runs out of space (ENOSPC), unlike
 * a mocked free-space figure. Needs {@code mount} (the development machines and CI run as root);
 * without it the test fails, it does not skip. Unmounted lazily on close, so a store still closing
 * cannot keep it busy.
 */
public final class Tmpfs implements AutoCloseable {
  private static final int MB = 1024 * 1024;

  private final Path path;

  private Tmpfs(Path path) {
    this.path = path;
  }

  /**
   * Mounts a tmpfs of {@code size} (as mount's {@code size=} option, e.g. {@code "160m"}) on {@code
   * dir}.
   */
  public static Tmpfs mount(Path dir, String size) throws Exception {
    Path path = Files.createDirectories(dir);
    String output = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", path.toString());
    if (!Files.getFileStore(path).type().equals("tmpfs")) {
      fail("this test needs to mount a tmpfs (run it as root, as CI does): mount said: " + output);
    }
    return new Tmpfs(path);
  }

  public Path path() {
    return path;
  }

  public long usableBytes() throws IOException {
    return Files.getFileStore(path).getUsableSpace();
  }

  /**
   * Writes a file of {@code bytes} real blocks (tmpfs counts written pages, not a sparse length),
   * or fewer if the volume fills first: a full volume is what the caller wants anyway.
   */
  public Path fill(String name, long bytes) throws IOException {
    Path file = path.resolve(name);
    byte[] chunk = new byte[MB];
    try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
      for (long written = 0; written < bytes; written += chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, bytes - written));
      }
    } catch (IOException e) {
      if (e.getMessage() == null || !e.getMessage().contains("No space left")) throw e;
    }
    return file;
  }

  @Override
  public void close() throws Exception {
    run("umount", "-l", path.toString());
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return output + " (timed out)";
    }
    return output + (p.exitValue() == 0 ? "" : " (exit " + p.exitValue() + ")");
  }
}
