package dev.ferry.store.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a group commit's later operations see of the messages its earlier ones wrote or removed, and
 * what an aborted operation leaves: messages written are only listed until something looks one up,
 * so every order of writes, look-ups, removals and aborts must still read as if each had gone
 * straight into the overlay.
 */
class BatchOverlayTest {
  @TempDir Path dataDir;
  private EmbeddedDb db;
  private Batch batch;

  @BeforeEach
  void open() throws Exception {
    db = EmbeddedDb.open(dataDir);
    batch = new Batch(db);
  }

  @AfterEach
  void close() throws Exception {
    batch.close();
    db.close();
  }

  @Test
  void a_written_message_is_pending_for_its_own_and_later_operations() throws Exception {
    batch.beginOp();
    batch.messageWritten("a", 10);
    assertEquals(OptionalLong.of(10), batch.pendingDueAt("a"));
    batch.messageWritten("b", 20);
    batch.endOp();
    batch.beginOp();
    assertEquals(OptionalLong.of(20), batch.pendingDueAt("b"));
    assertEquals(OptionalLong.empty(), batch.pendingDueAt("never"));
    batch.endOp();
  }

  @Test
  void the_latest_of_writes_and_removals_wins() throws Exception {
    batch.beginOp();
    batch.messageWritten("a", 10);
    batch.messageRemoved("a");
    batch.endOp();
    assertEquals(OptionalLong.empty(), pending("a"));
    batch.beginOp();
    batch.messageWritten("a", 30); // written again after its removal, and not looked up since
    batch.messageWritten("a", 40);
    batch.endOp();
    assertEquals(OptionalLong.of(40), pending("a"));
  }

  @Test
  void an_aborted_operation_leaves_what_earlier_ones_wrote_and_nothing_of_its_own()
      throws Exception {
    batch.beginOp();
    batch.messageWritten("kept", 10);
    batch.endOp();
    batch.beginOp();
    batch.messageWritten("dropped", 20);
    batch.abortOp();
    assertEquals(OptionalLong.of(10), pending("kept"));
    assertEquals(OptionalLong.empty(), pending("dropped"));
  }

  @Test
  void an_operation_aborted_after_a_look_up_undoes_what_it_wrote_before_and_after()
      throws Exception {
    batch.beginOp();
    batch.messageWritten("earlier", 10);
    batch.messageWritten("removed", 11);
    batch.endOp();
    batch.beginOp();
    batch.messageWritten("before", 20);
    batch.messageRemoved("removed"); // brings the overlay up to date mid-operation
    batch.messageWritten("after", 30);
    batch.messageWritten("earlier", 40);
    batch.abortOp();
    assertEquals(OptionalLong.of(10), pending("earlier"));
    assertEquals(OptionalLong.of(11), pending("removed"));
    assertEquals(OptionalLong.empty(), pending("before"));
    assertEquals(OptionalLong.empty(), pending("after"));
  }

  @Test
  void many_writes_in_one_operation_are_all_seen() throws Exception {
    batch.beginOp();
    for (int i = 0; i < 1000; i++) batch.messageWritten("m" + i, i);
    batch.endOp();
    for (int i = 0; i < 1000; i += 99) assertEquals(OptionalLong.of(i), pending("m" + i));
  }

  /** A look-up in an operation of its own, as the store's checks make them. */
  private OptionalLong pending(String id) throws Exception {
    batch.beginOp();
    OptionalLong dueAt = batch.pendingDueAt(id);
    batch.endOp();
    return dueAt;
  }
}
