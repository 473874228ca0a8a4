package io.vireo.mailbox.testing;

import io.vireo.mailbox.access.AccessSession;
import io.vireo.mailbox.imap.ImapSession;
import io.vireo.mailbox.imap.ImapSettings;
import io.vireo.mailbox.store.MailStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * A real accept loop on a loopback ephemeral port that runs one {@link AccessSession} per
 * connection on its own virtual thread, as the relay's listener does. For tests; close stops it and
 * every open connection.
 */
public final class AccessServer implements AutoCloseable {
  private final ServerSocket server;
  private final Thread acceptor;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  /**
   * The IMAP server the dialogue tests talk to: plain text (no TLS, logins allowed), user {@code
   * bob} with password {@code secret}, the store's mail; the other settings as in production.
   */
  public static AccessServer imap(MailStore store) throws IOException {
    ImapSettings settings =
        new ImapSettings(
            "imap.test",
            true,
            8192,
            1_000_000,
            Duration.ofMinutes(30),
            Duration.ofSeconds(60),
            5,
            Clock.systemUTC());
    TestLogins logins = new TestLogins(Map.of("bob", "secret"));
    return new AccessServer(() -> new ImapSession(store, logins, settings), null);
  }

  public AccessServer(Supplier<AccessSession> sessions, SSLContext tls) throws IOException {
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    acceptor =
        Thread.ofPlatform()
            .name("test-access-acceptor")
            .daemon()
            .start(
                () -> {
                  while (!server.isClosed()) {
                    try {
                      Socket socket = server.accept();
                      open.add(socket);
                      Thread.ofVirtual().name("test-access-session").start(() -> serve(sessions, socket, tls));
                    } catch (IOException e) {
                      return;
                    }
                  }
                });
  }

  private void serve(Supplier<AccessSession> sessions, Socket socket, SSLContext tls) {
    SocketAccessChannel channel = new SocketAccessChannel(socket, tls);
    try {
      sessions.get().serve(channel);
    } catch (IOException e) {
      // the client went away or the handshake failed: the session is over
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      open.remove(socket);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    server.close();
    for (Socket socket : open) {
      socket.close();
    }
    acceptor.join(10_000);
  }
}
