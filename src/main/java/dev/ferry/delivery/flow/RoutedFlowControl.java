package dev.ferry.delivery.flow;

import dev.ferry.model.FlowControlCommand;
import dev.ferry.model.FlowControlState;
import dev.ferry.store.FlowControlPeers;
import dev.ferry.store.PartitionOwnership;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Flow-control commands of a replica sharing its store with others: a key's lane runs on the
 * replica that owns the key's partition, so a command for a key this replica does not own is sent
 * to its owner ({@link FlowControlPeers#askOwner}), and a list merges the keys each replica owns.
 * The same class answers the commands other replicas send here ({@link #answer}): only for keys
 * this replica owns, since a lane anywhere else delivers nothing. A single process (embedded store)
 * does not use it: it runs every command on its own lanes. Thread-safe.
 */
public final class RoutedFlowControl {
  private final BiFunction<String, FlowControlCommand, Future<List<FlowControlState>>> local;
  private final PartitionOwnership ownership;
  private final FlowControlPeers peers;

  /**
   * @param local runs a command on this process's lanes ({@code DeliveryPlane#flowControl})
   */
  public RoutedFlowControl(
      BiFunction<String, FlowControlCommand, Future<List<FlowControlState>>> local,
      PartitionOwnership ownership,
      FlowControlPeers peers) {
    this.local = local;
    this.ownership = ownership;
    this.peers = peers;
  }

  /** Starts answering the other replicas' commands. */
  public RoutedFlowControl listen() {
    peers.answerWith(this::answer);
    return this;
  }

  /**
   * A command from the API of this replica: run here when this replica owns the key, else there.
   */
  public Future<List<FlowControlState>> command(String tenant, FlowControlCommand command) {
    if (command.kind() == FlowControlCommand.Kind.LIST) {
      Future<List<FlowControlState>> here = owned(tenant, command);
      Future<List<FlowControlState>> there = peers.askOthers(tenant, command);
      return Future.all(here, there).map(v -> merged(here.result(), there.result()));
    }
    if (ownership.ownsFlowControlKey(tenant, command.key())) return local.apply(tenant, command);
    return peers.askOwner(tenant, command);
  }

  /**
   * A command another replica sent here. One for a key this replica does not own (ownership moved
   * on the way) is refused, and the asker answers 503: run here, it would change a lane that
   * delivers nothing.
   */
  Future<List<FlowControlState>> answer(String tenant, FlowControlCommand command) {
    if (command.kind() == FlowControlCommand.Kind.LIST) return owned(tenant, command);
    if (!ownership.ownsFlowControlKey(tenant, command.key())) {
      return Future.failedFuture("flow control key " + command.key() + " moved to another replica");
    }
    return local.apply(tenant, command);
  }

  /**
   * This process's keys that it owns: lanes of other keys (settings restored at start-up) deliver
   * nothing, and their owner lists them.
   */
  private Future<List<FlowControlState>> owned(String tenant, FlowControlCommand list) {
    return local
        .apply(tenant, list)
        .map(
            keys ->
                keys.stream().filter(k -> ownership.ownsFlowControlKey(tenant, k.key())).toList());
  }

  /** By key; a key two replicas listed (ownership moving) once. */
  private static List<FlowControlState> merged(
      List<FlowControlState> here, List<FlowControlState> there) {
    Map<String, FlowControlState> byKey = new LinkedHashMap<>();
    here.forEach(k -> byKey.putIfAbsent(k.key(), k));
    there.forEach(k -> byKey.putIfAbsent(k.key(), k));
    List<FlowControlState> out = new ArrayList<>(byKey.values());
    out.sort(Comparator.comparing(FlowControlState::key));
    return out;
  }
}
