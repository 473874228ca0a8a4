package io.vireo.relay.testing;

import io.vireo.config.RedisEndpoint;
import io.vireo.mailbox.testing.ExternalTool;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

/**
 * A private {@code redis-server} (Debian package {@code redis-server}) on 127.0.0.1 and a free
 * port, without persistence, for tests of limits shared through Redis. It can be stopped and
 * started again on the same port, as an outage would. {@link RedisServerExtension} starts an open
 * one per test; {@link #start(Path, Security)} one that wants a password, an ACL user or TLS.
 */
public final class RedisServer implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  /**
   * How the server is secured.
   *
   * @param password with no user: {@code requirepass}, Redis's {@code default} user logs in with
   *     {@code AUTH password}; with a user: that user's password
   * @param user an ACL user with every right ({@code user NAME on >PASSWORD ~* +@all}); the {@code
   *     default} user is then switched off
   * @param tls the certificate (and key) the server presents on its only port, plain text being
   *     off; clients need not present one ({@code tls-auth-clients no})
   */
  public record Security(String password, String user, PemCertificate tls) {
    public static final Security NONE = new Security(null, null, null);

    public Security {
      if (user != null && password == null) {
        throw new IllegalArgumentException("an ACL user needs a password");
      }
    }

    public static Security requirePass(String password) {
      return new Security(password, null, null);
    }

    public static Security aclUser(String user, String password) {
      return new Security(password, user, null);
    }

    public Security withTls(PemCertificate certificate) {
      return new Security(password, user, certificate);
    }

    List<String> arguments(int port) {
      List<String> arguments = new ArrayList<>();
      if (user != null) {
        arguments.addAll(List.of("--user", "default", "off"));
        arguments.addAll(List.of("--user", user, "on", ">" + password, "~*", "+@all"));
      } else if (password != null) {
        arguments.addAll(List.of("--requirepass", password));
      }
      if (tls == null) {
        arguments.addAll(List.of("--port", Integer.toString(port)));
      } else {
        arguments.addAll(
            List.of(
                "--port",
                "0",
                "--tls-port",
                Integer.toString(port),
                "--tls-cert-file",
                tls.certFile().toString(),
                "--tls-key-file",
                tls.keyFile().toString(),
                "--tls-auth-clients",
                "no"));
      }
      return arguments;
    }
  }

  private final Path executable;
  private final Path dir;
  private final int port;
  private final Security security;
  private Process process;

  private RedisServer(Path executable, Path dir, int port, Security security) {
    this.executable = executable;
    this.dir = dir;
    this.port = port;
    this.security = security;
  }

  /**
   * Starts an open server; fails (CI) or skips (elsewhere) the test when redis-server is missing.
   */
  public static RedisServer start(Path dir) throws IOException {
    return start(dir, Security.NONE);
  }

  /** Starts a server secured as {@code security} says. */
  public static RedisServer start(Path dir, Security security) throws IOException {
    RedisServer server =
        new RedisServer(
            ExternalTool.require("redis-server", "redis-server"), dir, freePort(), security);
    server.startAgain();
    return server;
  }

  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:port}, or {@code rediss://} when the server speaks TLS. */
  public RedisEndpoint endpoint() {
    return new RedisEndpoint("127.0.0.1", port, 0, security.tls() != null);
  }

  public boolean running() {
    return process != null && process.isAlive();
  }

  /** Starts the server (again) on its port and waits until it answers PING. */
  public void startAgain() throws IOException {
    if (running()) {
      throw new IllegalStateException("redis-server is already running on " + port);
    }
    Files.createDirectories(dir);
    Path log = dir.resolve("redis-" + port + ".log");
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(security.arguments(port));
    command.addAll(
        List.of(
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--dir",
            dir.toString()));
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    Await.until(
        "redis-server answers on 127.0.0.1:" + port + " (log: " + log + ")",
        START_TIMEOUT,
        () -> {
          if (!process.isAlive()) {
            throw new IllegalStateException("redis-server exited; see " + log);
          }
          return answers();
        });
  }

  /** Kills the server at once, as a crash would (it keeps no data: nothing is saved). */
  public void stop() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("redis-server on " + port + " did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  @Override
  public void close() {
    stop();
  }

  /** PONG, or a refusal for want of a password: either way the server takes commands. */
  private boolean answers() {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String reply = new String(in.readNBytes(7), StandardCharsets.US_ASCII);
      return reply.equals("+PONG\r\n") || reply.equals("-NOAUTH");
    } catch (IOException | GeneralSecurityException e) {
      return false;
    }
  }

  private Socket connect() throws IOException, GeneralSecurityException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      socket.setSoTimeout(500);
      if (security.tls() == null) {
        return socket;
      }
      SSLSocket tls =
          (SSLSocket)
              security
                  .tls()
                  .trustingClientContext()
                  .getSocketFactory()
                  .createSocket(socket, "127.0.0.1", port, true);
      tls.startHandshake();
      return tls;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      return probe.getLocalPort();
    }
  }
}
