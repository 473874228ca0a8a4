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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private {@code redis-server} (Debian package {@code redis-server}) on 127.0.0.1 and a free
 * port, without persistence, for tests of limits shared through Redis. It can be stopped and
 * started again on the same port, as an outage would. {@link RedisServerExtension} starts one per
 * test.
 */
public final class RedisServer implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final Path executable;
  private final Path dir;
  private final int port;
  private Process process;

  private RedisServer(Path executable, Path dir, int port) {
    this.executable = executable;
    this.dir = dir;
    this.port = port;
  }

  /** Starts a server; fails (CI) or skips (elsewhere) the test when redis-server is missing. */
  public static RedisServer start(Path dir) throws IOException {
    RedisServer server =
        new RedisServer(ExternalTool.require("redis-server", "redis-server"), dir, freePort());
    server.startAgain();
    return server;
  }

  public int port() {
    return port;
  }

  public RedisEndpoint endpoint() {
    return new RedisEndpoint("127.0.0.1", port, 0);
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
    process =
        new ProcessBuilder(
                List.of(
                    executable.toString(),
                    "--port",
                    Integer.toString(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--daemonize",
                    "no",
                    "--dir",
                    dir.toString()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    Await.until(
        "redis-server answers PING on 127.0.0.1:" + port + " (log: " + log + ")",
        START_TIMEOUT,
        () -> {
          if (!process.isAlive()) {
            throw new IllegalStateException("redis-server exited; see " + log);
          }
          return answersPing();
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

  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = in.readNBytes(7);
      return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      return probe.getLocalPort();
    }
  }
}
