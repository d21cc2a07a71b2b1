package dev.ferry.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A tiny authoritative DNS server on UDP 127.0.0.1 (free port) for tests: answers A and AAAA
 * questions from a function of (name, how many times this name was asked for this type before),
 * with TTL 0, so a test can make a name change its address between lookups (DNS rebinding). Unknown
 * names get NXDOMAIN. Counts questions per name and type.
 */
public final class StubDns implements AutoCloseable {
  public static final int A = 1;
  public static final int AAAA = 28;

  private final BiFunction<String, Integer, List<byte[]>> answersA;
  private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
  private DatagramSocket socket;

  private StubDns(BiFunction<String, Integer, List<byte[]>> answersA) {
    this.answersA = answersA;
  }

  /**
   * @param answersA IPv4 answers (4-byte addresses) for (lower-case name without trailing dot,
   *     earlier A questions for it); null = NXDOMAIN. AAAA questions of known names get an empty
   *     answer.
   */
  public static StubDns start(Vertx vertx, BiFunction<String, Integer, List<byte[]>> answersA)
      throws Exception {
    StubDns dns = new StubDns(answersA);
    dns.socket = vertx.createDatagramSocket();
    dns.socket.handler(dns::answer);
    dns.socket.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    return dns;
  }

  public int port() {
    return socket.localAddress().port();
  }

  /** How many questions of {@code type} were asked for {@code name}. */
  public int asked(String name, int type) {
    AtomicInteger n = asked.get(type + " " + name);
    return n == null ? 0 : n.get();
  }

  private void answer(DatagramPacket packet) {
    Buffer q = packet.data();
    if (q.length() < 12 || q.getUnsignedShort(4) != 1) return;
    int i = 12;
    StringBuilder name = new StringBuilder();
    while (q.getUnsignedByte(i) != 0) {
      int len = q.getUnsignedByte(i);
      if (name.length() > 0) name.append('.');
      name.append(new String(q.getBytes(i + 1, i + 1 + len), StandardCharsets.US_ASCII));
      i += len + 1;
    }
    int questionEnd = i + 5;
    int type = q.getUnsignedShort(i + 1);
    String host = name.toString().toLowerCase();
    int earlier =
        asked.computeIfAbsent(type + " " + host, k -> new AtomicInteger()).getAndIncrement();
    List<byte[]> addresses = answersA.apply(host, type == A ? earlier : 0);
    Buffer reply = Buffer.buffer();
    reply.appendUnsignedShort(q.getUnsignedShort(0));
    reply.appendUnsignedShort(
        addresses == null ? 0x8183 : 0x8180); // response, RD, RA; NXDOMAIN or NOERROR
    List<byte[]> given = addresses == null || type != A ? List.of() : addresses;
    reply
        .appendUnsignedShort(1)
        .appendUnsignedShort(given.size())
        .appendUnsignedShort(0)
        .appendUnsignedShort(0);
    reply.appendBuffer(q.getBuffer(12, questionEnd));
    for (byte[] address : given) {
      reply
          .appendUnsignedShort(0xc00c)
          .appendUnsignedShort(A)
          .appendUnsignedShort(1)
          .appendInt(0)
          .appendUnsignedShort(address.length)
          .appendBytes(address);
    }
    socket.send(reply, packet.sender().port(), packet.sender().host());
  }

  @Override
  public void close() throws Exception {
    socket.close().await(10, TimeUnit.SECONDS);
  }
}
