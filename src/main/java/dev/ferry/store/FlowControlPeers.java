package dev.ferry.store;

import dev.ferry.model.FlowControlCommand;
import dev.ferry.model.FlowControlState;
import io.vertx.core.Future;
import java.util.List;

/**
 * Carries flow-control commands between the processes sharing a store: a key's lane lives on the
 * process that owns its partition (see {@link PartitionOwnership#ownsFlowControlKey}), so a command
 * that arrives elsewhere is run there, and a list gathers every process's keys. A backend that one
 * process has to itself has nobody to ask ({@link #NONE}). Thread-safe; every wait is bounded.
 */
public interface FlowControlPeers {
  /** Nobody else owns anything: asking fails, nobody else has keys. */
  FlowControlPeers NONE =
      new FlowControlPeers() {
        @Override
        public Future<List<FlowControlState>> askOwner(String tenant, FlowControlCommand command) {
          return Future.failedFuture(unreachable(command.key()));
        }

        @Override
        public Future<List<FlowControlState>> askOthers(String tenant, FlowControlCommand list) {
          return Future.succeededFuture(List.of());
        }

        @Override
        public void answerWith(Answerer answerer) {}
      };

  /**
   * Runs the command on the process that holds the lease of the key's partition and completes with
   * its answer (empty: it knows no such key). Fails with a {@link StoreUnavailableException} when
   * no process holds it or the holder does not answer in time.
   */
  Future<List<FlowControlState>> askOwner(String tenant, FlowControlCommand command);

  /**
   * Runs a {@code LIST} on every other live process; completes with the keys of those that answered
   * in time, one after another (never fails).
   */
  Future<List<FlowControlState>> askOthers(String tenant, FlowControlCommand list);

  /** How this process answers the commands of the others; set once, before they can arrive. */
  void answerWith(Answerer answerer);

  /** Runs another process's command here; a failure's message is sent back to it. */
  interface Answerer {
    Future<List<FlowControlState>> answer(String tenant, FlowControlCommand command);
  }

  /** What the API answers (503, try again) when the key's owner cannot be reached. */
  static StoreUnavailableException unreachable(String key) {
    return new StoreUnavailableException(
        StoreUnavailableException.Reason.OWNER_UNREACHABLE,
        "flow control key " + key + ": the replica that delivers it did not answer; try again");
  }
}
