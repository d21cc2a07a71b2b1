package dev.ferry.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.FerryProcess;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged store is repaired safely or refused (docs/architecture.md#what-the-store-guarantees) —
 * never opened with acknowledged messages silently missing. Each test publishes {@value #ACKED}
 * messages one by one (one WAL record each, delayed an hour so nothing is delivered and they stay
 * in the store), kills Ferry with {@code kill -9}, damages the store and starts it again.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StoreCorruptionTest {
  private static final int ACKED = 30;

  @TempDir Path dir;

  @Test
  void a_torn_last_wal_record_is_dropped_and_everything_acknowledged_before_it_is_kept(Vertx vertx)
      throws Exception {
    try (FerryProcess ferry =
        FerryProcess.create(vertx, dir, CrashConfig.overrides()).startAndAwaitUp()) {
      List<String> acked = publish(vertx, ferry, ACKED);
      String torn =
          publish(vertx, ferry, 1)
              .get(0); // stands for a write torn by a power cut before its sync returned
      ferry.kill9();
      Path wal = StoreFiles.newestWal(ferry.dataDir());
      List<StoreFiles.WalRecord> records = StoreFiles.records(wal);
      StoreFiles.WalRecord last = records.get(records.size() - 1);
      // the last write is the last publish unless a periodic job (a minute after start) wrote after
      // it
      boolean lastIsTorn = StoreFiles.contains(wal, last, torn);
      StoreFiles.truncate(
          wal, last.payloadMiddle()); // the last record loses the second half of its payload

      ferry.startAndAwaitUp();
      assertEquals(
          List.of(), missing(ferry, acked), "acknowledged messages before the torn record");
      int tornStatus = status(ferry, torn);
      CrashConfig.report(
          "corruption",
          "torn tail ("
              + (last.end() - last.payloadMiddle())
              + " bytes cut off "
              + wal.getFileName()
              + "): started, "
              + ACKED
              + "/"
              + ACKED
              + " earlier messages present, torn one answers "
              + tornStatus);
      if (lastIsTorn)
        assertEquals(404, tornStatus, "the torn record is the last publish, and it was dropped");
    }
  }

  @Test
  void a_partial_record_appended_to_the_wal_is_dropped(Vertx vertx) throws Exception {
    try (FerryProcess ferry =
        FerryProcess.create(vertx, dir, CrashConfig.overrides()).startAndAwaitUp()) {
      List<String> acked = publish(vertx, ferry, ACKED);
      ferry.kill9();
      Path wal = StoreFiles.newestWal(ferry.dataDir());
      // a header announcing 1000 bytes of a full record, of which only 100 made it to disk
      byte[] partial = new byte[7 + 100];
      partial[4] = (byte) (1000 & 0xff);
      partial[5] = (byte) (1000 >> 8);
      partial[6] = 1;
      for (int i = 7; i < partial.length; i++) partial[i] = (byte) (i * 31);
      StoreFiles.append(wal, partial);

      ferry.startAndAwaitUp();
      assertEquals(List.of(), missing(ferry, acked));
      CrashConfig.report(
          "corruption", "partial record appended: started, all " + ACKED + " messages present");
    }
  }

  @Test
  void
      a_bit_flipped_inside_an_acknowledged_wal_record_is_refused_and_repair_store_salvages_the_rest(
          Vertx vertx) throws Exception {
    try (FerryProcess ferry =
        FerryProcess.create(vertx, dir, CrashConfig.overrides()).startAndAwaitUp()) {
      List<String> acked = publish(vertx, ferry, ACKED);
      ferry.kill9();
      Path wal = StoreFiles.newestWal(ferry.dataDir());
      List<StoreFiles.WalRecord> records = StoreFiles.records(wal);
      StoreFiles.WalRecord middle = records.get(records.size() / 2);
      StoreFiles.flipBit(wal, middle.payloadMiddle());

      String log = assertRefusesToStart(ferry);
      assertTrue(log.contains("checksum mismatch"), log);
      assertTrue(log.contains(wal.getFileName().toString()), "names the damaged file: " + log);

      FerryProcess.ToolRun repair =
          ferry.runTool("repair-store", "--data-dir", ferry.dataDir().toString());
      assertEquals(0, repair.exitStatus(), repair.output());
      ferry.startAndAwaitUp();
      List<String> lost = missing(ferry, acked);
      // past a bad checksum RocksDB's log reader cannot trust the rest of that 32 KiB block: those
      // records go too
      long restOfBlock =
          records.stream()
              .filter(
                  r ->
                      r.offset() >= middle.offset()
                          && r.offset() / StoreFiles.BLOCK == middle.offset() / StoreFiles.BLOCK)
              .count();
      CrashConfig.report(
          "corruption",
          "bit flipped in WAL record "
              + records.size() / 2
              + " of "
              + records.size()
              + ": start refused; after repair-store "
              + (ACKED - lost.size())
              + "/"
              + ACKED
              + " messages present ("
              + restOfBlock
              + " records from the damaged one to the end of its block)");
      assertTrue(
          !lost.isEmpty() && lost.size() <= restOfBlock,
          "only the damaged record and the rest of its block " + "may be lost: " + lost);
    }
  }

  @Test
  void a_bit_flipped_inside_a_table_file_is_refused(Vertx vertx) throws Exception {
    try (FerryProcess ferry =
        FerryProcess.create(vertx, dir, CrashConfig.overrides()).startAndAwaitUp()) {
      publish(vertx, ferry, ACKED);
      ferry.kill9();
      ferry.startAndAwaitUp(); // recovery writes what the WAL held into table files
      ferry.stop();
      Path sst = StoreFiles.largestSst(ferry.dataDir());
      StoreFiles.flipBit(sst, sst.toFile().length() / 2);

      String log = assertRefusesToStart(ferry);
      assertTrue(log.contains(sst.getFileName().toString()), "names the damaged file: " + log);
      FerryProcess.ToolRun repair =
          ferry.runTool("repair-store", "--data-dir", ferry.dataDir().toString());
      CrashConfig.report(
          "corruption",
          "bit flipped in the middle of "
              + sst.getFileName()
              + " ("
              + sst.toFile().length()
              + " bytes): start refused; repair-store exit "
              + repair.exitStatus());
      assertEquals(1, repair.exitStatus(), repair.output());
      assertTrue(repair.output().contains("restore the directory from a backup"), repair.output());
    }
  }

  /**
   * Starts Ferry on the damaged store: it must exit non-zero without serving, explaining what to
   * do. Its log.
   */
  private static String assertRefusesToStart(FerryProcess ferry) throws Exception {
    ferry.start();
    int exit = ferry.awaitExit(60_000);
    String log = ferry.logText();
    assertNotEquals(-1, exit, "Ferry still runs on a damaged store; log:\n" + log);
    assertNotEquals(0, exit, log);
    assertTrue(
        log.contains("is corrupted") && log.contains("repair-store") && log.contains("backup"),
        log);
    assertTrue(!log.contains("Ferry listening"), "it served before refusing: " + log);
    CrashConfig.report(
        "corruption",
        "refusal: "
            + log.lines()
                .filter(l -> l.startsWith("ferry:"))
                .findFirst()
                .orElse("(no stderr line)"));
    return log;
  }

  /**
   * Publishes {@code n} messages one request each (one WAL record each), delayed one hour; their
   * ids.
   */
  private static List<String> publish(Vertx vertx, FerryProcess ferry, int n) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      var r =
          ferry
              .client()
              .post(ferry.port(), "127.0.0.1", "/v2/publish/http://127.0.0.1:9/never")
              .bearerTokenAuthentication(FerryProcess.TOKEN)
              .putHeader("Upstash-Delay", "1h")
              .sendBuffer(io.vertx.core.buffer.Buffer.buffer("m" + i))
              .await(10, TimeUnit.SECONDS);
      assertEquals(201, r.statusCode(), r.bodyAsString());
      ids.add(r.bodyAsJsonObject().getString("messageId"));
    }
    return ids;
  }

  private static List<String> missing(FerryProcess ferry, List<String> ids) throws Exception {
    List<String> missing = new ArrayList<>();
    for (String id : ids) {
      if (status(ferry, id) != 200) missing.add(id);
    }
    return missing;
  }

  private static int status(FerryProcess ferry, String id) throws Exception {
    return ferry
        .client()
        .get(ferry.port(), "127.0.0.1", "/v2/messages/" + id)
        .bearerTokenAuthentication(FerryProcess.TOKEN)
        .send()
        .await(10, TimeUnit.SECONDS)
        .statusCode();
  }
}
