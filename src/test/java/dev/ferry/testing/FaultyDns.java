package dev.ferry.testing;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A DNS server on 127.0.0.1 (UDP, port 0) for fault tests that must not depend on the machine's
 * resolver: names that start with {@code nx} get NXDOMAIN at once, every other name gets no answer
 * at all (a lookup that can only time out). Runs on its own daemon thread; records the names it was
 * asked for.
 */
public final class FaultyDns implements AutoCloseable {
  private final DatagramSocket socket;
  private final List<String> asked = new CopyOnWriteArrayList<>();

  public FaultyDns() throws SocketException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread t = new Thread(this::serve, "faulty-dns");
    t.setDaemon(true);
    t.start();
  }

  /** {@code 127.0.0.1:port}, as {@code AddressResolverOptions.addServer} takes it. */
  public String address() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  public List<String> asked() {
    return asked;
  }

  private void serve() {
    byte[] in = new byte[512];
    while (!socket.isClosed()) {
      try {
        DatagramPacket query = new DatagramPacket(in, in.length);
        socket.receive(query);
        int end = questionEnd(in, query.getLength());
        if (end < 0) continue;
        String name = name(in);
        asked.add(name);
        if (!name.startsWith("nx")) continue; // a lookup that never gets an answer
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(in, 0, 2); // the query's id
        out.write(0x80 | (in[2] & 0x01)); // QR=1 (a response), opcode 0, RD copied
        out.write(0x83); // RA=1, RCODE=3: NXDOMAIN
        out.write(
            new byte[] {
              0, 1, 0, 0, 0, 0, 0, 0
            }); // one question, no answers, authorities or additionals
        out.write(in, 12, end - 12); // the question, echoed
        byte[] answer = out.toByteArray();
        socket.send(new DatagramPacket(answer, answer.length, query.getSocketAddress()));
      } catch (Exception e) {
        if (socket.isClosed()) return;
      }
    }
  }

  /**
   * Where the first question ends (after QNAME, QTYPE and QCLASS), or -1 if the packet is not a
   * query.
   */
  private static int questionEnd(byte[] p, int length) {
    int i = 12;
    while (i < length && p[i] != 0) i += (p[i] & 0xff) + 1;
    return i + 5 <= length ? i + 5 : -1;
  }

  private static String name(byte[] p) {
    StringBuilder b = new StringBuilder();
    int i = 12;
    while (p[i] != 0) {
      if (b.length() > 0) b.append('.');
      b.append(new String(p, i + 1, p[i] & 0xff, java.nio.charset.StandardCharsets.US_ASCII));
      i += (p[i] & 0xff) + 1;
    }
    return b.toString();
  }

  @Override
  public void close() {
    socket.close();
  }
}
