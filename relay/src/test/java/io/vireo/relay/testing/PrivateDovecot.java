package io.vireo.relay.testing;

import io.vireo.mailbox.testing.ExternalTool;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private Dovecot IMAP server (Debian's {@code dovecot-imapd}) on a loopback port with its own
 * configuration file, serving {@code maildir:<root>/%u/Maildir} with any user name and one static
 * password. Needs root (as the Postfix harness): Dovecot's processes then run as its own {@code
 * dovecot} and {@code dovenull} users, so the Maildirs it serves are handed to {@code dovecot}
 * first ({@link #handOver}).
 */
public final class PrivateDovecot implements AutoCloseable {
  public static final String PASSWORD = "secret";

  private final Path dir;
  private final Process process;
  private final int port;

  private PrivateDovecot(Path dir, Process process, int port) {
    this.dir = dir;
    this.process = process;
    this.port = port;
  }

  /** Starts Dovecot over {@code mailRoot}; its run files and log go to {@code dir}. */
  public static PrivateDovecot start(Path dir, Path mailRoot) throws Exception {
    Path dovecot = ExternalTool.require("dovecot", "dovecot-imapd");
    ExternalTool.requireThat(
        "root".equals(System.getProperty("user.name")),
        "a private Dovecot needs root (its processes drop to the dovecot user)");
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Files.createDirectories(dir.resolve("run"));
    Files.createDirectories(dir.resolve("state"));
    Path config = dir.resolve("dovecot.conf");
    Files.writeString(
        config,
        """
        base_dir = %1$s/run
        state_dir = %1$s/state
        log_path = %1$s/dovecot.log
        protocols = imap
        listen = 127.0.0.1
        ssl = no
        disable_plaintext_auth = no
        auth_mechanisms = plain
        mail_location = maildir:%2$s/%%u/Maildir
        default_internal_user = dovecot
        default_internal_group = dovecot
        default_login_user = dovenull
        first_valid_uid = 1
        first_valid_gid = 1
        passdb {
          driver = static
          args = password=%3$s
        }
        userdb {
          driver = static
          args = uid=dovecot gid=dovecot home=%2$s/%%u
        }
        service anvil {
          chroot =
        }
        service imap-login {
          chroot =
          inet_listener imap {
            address = 127.0.0.1
            port = %4$d
          }
          inet_listener imaps {
            port = 0
          }
        }
        """
            .formatted(dir.toAbsolutePath(), mailRoot.toAbsolutePath(), PASSWORD, port));
    Process process =
        new ProcessBuilder(dovecot.toString(), "-F", "-c", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("dovecot.out").toFile())
            .start();
    PrivateDovecot server = new PrivateDovecot(dir, process, port);
    try {
      Await.until("Dovecot listening on " + port, Duration.ofSeconds(30), server::answers);
    } catch (AssertionError e) {
      server.close();
      throw new AssertionError(e.getMessage() + "\n" + server.log(), e);
    }
    return server;
  }

  /**
   * Gives {@code path} (recursively) to the {@code dovecot} user, whom Dovecot reads it as, and lets
   * everyone through its parent directories (a test's temporary directory is its owner's only).
   */
  public static void handOver(Path path) throws IOException, InterruptedException {
    for (Path parent = path.toAbsolutePath().getParent();
        parent != null;
        parent = parent.getParent()) {
      java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions =
          Files.getPosixFilePermissions(parent);
      if (permissions.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
        Files.setPosixFilePermissions(parent, permissions);
      }
    }
    Process chown =
        new ProcessBuilder(List.of("chown", "-R", "dovecot:dovecot", path.toString()))
            .redirectErrorStream(true)
            .start();
    if (!chown.waitFor(30, TimeUnit.SECONDS) || chown.exitValue() != 0) {
      throw new IOException("chown failed: " + new String(chown.getInputStream().readAllBytes()));
    }
  }

  public int port() {
    return port;
  }

  /** Dovecot's own log, for failure messages. */
  public String log() {
    try {
      Path log = dir.resolve("dovecot.log");
      Path out = dir.resolve("dovecot.out");
      return (Files.exists(out) ? Files.readString(out) : "")
          + (Files.exists(log) ? Files.readString(log) : "");
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private boolean answers() {
    if (!process.isAlive()) {
      throw new AssertionError("Dovecot exited: " + log());
    }
    try (Socket socket = new Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(5000);
      return socket.getInputStream().read() == '*';
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy(); // SIGTERM: the master stops its children
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
