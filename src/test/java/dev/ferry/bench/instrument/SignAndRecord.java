package dev.ferry.bench.instrument;

import dev.ferry.delivery.signing.Signer;
import dev.ferry.ingest.Ids;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksDBException;

/**
 * What the signing delivery instrument does per delivery besides the HTTP exchange, the part of a
 * gateway's work that is physically required: each request is signed with a fresh JWT by Ferry's
 * own {@link Signer} (per-request {@code jti}, {@code iat}/{@code exp}, {@code sub} = the URL,
 * {@code body} = base64url(SHA-256(body))), and each 2xx records its outcome (message id, status,
 * time: a few dozen bytes) in RocksDB with one unsynced write. The outcomes of one event loop are
 * gathered per turn of the loop into one write for a dedicated writer thread that group-commits
 * everything pending, as Ferry's delivery batches its outcomes for its store writer; the event loop
 * never touches RocksDB. Thread-safe; one instance per instrument process.
 */
final class SignAndRecord implements AutoCloseable {
  private static final CharSequence SIGNATURE = HttpHeaders.createOptimized("Upstash-Signature");
  private final Signer signer = new Signer(Ids::newJwtId);
  private final String signingKey;
  private final GroupCommit store;

  /** Opens (or creates) the outcome store in {@code dir}; signs with a key of its own. */
  SignAndRecord(Path dir) throws RocksDBException {
    this(dir, Ids.newSigningKey());
  }

  /** The same, signing with {@code signingKey} (one a verifying sink knows). */
  SignAndRecord(Path dir, String signingKey) throws RocksDBException {
    this.signingKey = signingKey;
    store = new GroupCommit(dir, false, "instrument-outcome-writer");
  }

  /** The key every request is signed with; a receiver verifies with it. */
  String signingKey() {
    return signingKey;
  }

  /**
   * The {@code Upstash-Signature} value for a request to {@code url} carrying {@code body}, minted
   * now.
   */
  String sign(String url, byte[] body) {
    return signer.sign(signingKey, url, body, System.currentTimeMillis());
  }

  /**
   * One delivery as a gateway makes it: {@code request} signed for {@code url} and {@code body},
   * sent with {@code client}, and a 2xx recorded in {@code outcomes} before the status it answers
   * with completes.
   */
  Future<Integer> deliver(
      HttpClient client, RequestOptions request, String url, Buffer body, Outcomes outcomes) {
    String messageId = Ids.newMessageId();
    request.putHeader(SIGNATURE, sign(url, body.getBytes()));
    return client
        .request(request)
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(resp.statusCode()))
        .compose(
            status ->
                status / 100 != 2
                    ? Future.succeededFuture(status)
                    : outcomes
                        .add(outcome(messageId, status, System.currentTimeMillis()))
                        .map(status));
  }

  /** The outcome batch of the event loop {@code context}; use it only from that loop. */
  Outcomes outcomes(Context context) {
    return new Outcomes(store, context);
  }

  /** The record of one delivery: {@code <message id> <status> <Unix ms>}. */
  static byte[] outcome(String messageId, int status, long atMillis) {
    return (messageId + ' ' + status + ' ' + atMillis).getBytes(StandardCharsets.US_ASCII);
  }

  /** Waits for pending outcomes to be written, then closes the store. Blocking. */
  @Override
  public void close() throws InterruptedException {
    store.close();
  }

  /**
   * The outcomes recorded on one event loop: everything added within one turn of the loop (or
   * {@link #MAX} of them) becomes one write for the writer thread, so the per-write costs
   * (queueing, the answer's hop back) are paid per batch, not per delivery. Each caller hears back
   * only once its outcome is written. Confined to its event loop.
   */
  static final class Outcomes {
    /** Ferry's bound on one event loop's batch of delivered messages. */
    static final int MAX = 512;

    private final GroupCommit store;
    private final Context context;
    private List<byte[]> pending = new ArrayList<>();
    private Promise<Integer> written;

    private Outcomes(GroupCommit store, Context context) {
      this.store = store;
      this.context = context;
    }

    /** Queues one outcome; completes on this event loop once it is written. */
    Future<Integer> add(byte[] outcome) {
      if (pending.isEmpty()) {
        written = Promise.promise();
        context.runOnContext(
            v -> flush()); // after the rest of this turn: gathers what else completes now
      }
      pending.add(outcome);
      Future<Integer> done = written.future();
      if (pending.size() >= MAX) flush();
      return done;
    }

    private void flush() {
      if (pending.isEmpty()) return;
      byte[][] batch = pending.toArray(new byte[0][]);
      Promise<Integer> promise = written;
      pending = new ArrayList<>();
      written = null;
      store.commit(batch).onComplete(promise);
    }
  }
}
