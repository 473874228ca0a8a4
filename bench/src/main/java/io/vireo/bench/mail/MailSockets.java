package io.vireo.bench.mail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Opens the client's connections: no Nagle delay, bounded connect and reads, closed on failure. */
final class MailSockets {
  private MailSockets() {}

  /** Reads a server's greeting on a fresh socket and returns the client built on it. */
  @FunctionalInterface
  interface Greeting<T> {
    T read(Socket socket) throws IOException;
  }

  static <T> T open(InetSocketAddress server, Duration timeout, Greeting<T> greeting) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(server, (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      return greeting.read(socket);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }
}
