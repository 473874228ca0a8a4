package io.vireo.mailbox.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private Dovecot (Debian's dovecot-imapd) with its own configuration, serving IMAP on a loopback
 * port from Maildirs under a directory of ours: every user's password is {@code secret} and mail is
 * accessed as the system user {@code mail} (Dovecot refuses root). Needs root to start.
 */
public final class PrivateDovecot implements AutoCloseable {
  private final Path dir;
  private final Path mail;
  private final Path config;
  private final int port;
  private final Process process;

  private PrivateDovecot(Path dir, Path mail, Path config, int port, Process process) {
    this.dir = dir;
    this.mail = mail;
    this.config = config;
    this.port = port;
    this.process = process;
  }

  /** Skips (or, in CI, fails) the calling test unless Dovecot is installed and we are root. */
  public static void requireAvailable() {
    ExternalTool.require("dovecot", "dovecot-imapd");
    ExternalTool.requireThat(Files.isExecutable(Path.of("/usr/lib/dovecot/dovecot-lda")), "dovecot-lda missing: apt-get install dovecot-imapd");
    ExternalTool.requireThat("root".equals(System.getProperty("user.name")), "Dovecot interop tests run as root");
  }

  /**
   * Starts Dovecot serving {@code <mail>/<user>/Maildir}; waits until it accepts connections.
   *
   * @param dir a directory for its configuration, sockets and log
   */
  public static PrivateDovecot start(Path dir, Path mail) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Files.createDirectories(mail);
    openUp(dir);
    openUp(mail);
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path run = Files.createDirectories(dir.resolve("run"));
    Path config = dir.resolve("dovecot.conf");
    Files.writeString(
        config,
        String.join(
            "\n",
            "base_dir = " + run,
            "state_dir = " + run,
            "log_path = " + dir.resolve("dovecot.log"),
            "protocols = imap",
            "listen = 127.0.0.1",
            "ssl = no",
            "disable_plaintext_auth = no",
            "auth_mechanisms = plain",
            "mail_location = maildir:" + mail + "/%u/Maildir",
            "mail_uid = mail",
            "mail_gid = mail",
            "first_valid_uid = 1",
            "lda_mailbox_autocreate = yes",
            "passdb {\n  driver = static\n  args = password=secret\n}",
            "userdb {\n  driver = static\n  args = uid=mail gid=mail home=" + mail + "/%u\n}",
            "service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = " + port + "\n  }\n}",
            "default_login_user = dovenull",
            "default_internal_user = dovecot",
            ""));
    Process process =
        new ProcessBuilder("dovecot", "-c", config.toString(), "-F")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("dovecot.out").toFile())
            .start();
    PrivateDovecot dovecot = new PrivateDovecot(dir, mail, config, port, process);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (true) {
      try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
        if (Files.exists(run.resolve("auth-userdb"))) {
          return dovecot;
        }
      } catch (IOException notYet) {
        if (!process.isAlive() || Instant.now().isAfter(deadline)) {
          dovecot.close();
          throw new IOException("dovecot did not start: " + dovecot.log());
        }
      }
      if (Instant.now().isAfter(deadline)) {
        dovecot.close();
        throw new IOException("dovecot did not start: " + dovecot.log());
      }
      Thread.sleep(100); // polling a port that is not open yet; bounded by the deadline above
    }
  }

  public int port() {
    return port;
  }

  /** Hands the Maildirs to the user Dovecot reads them as. */
  public void chownMail() throws IOException, InterruptedException {
    Processes.Result result = Processes.run(List.of("chown", "-R", "mail:mail", mail.toString()), Map.of(), null, dir);
    if (result.exit() != 0) {
      throw new IOException("chown failed: " + result.output());
    }
  }

  /** Delivers a message with Dovecot's LDA (as Postfix's local transport would). */
  public void deliver(String user, String folder, byte[] message) throws IOException, InterruptedException {
    Processes.Result result =
        Processes.run(
            List.of("/usr/lib/dovecot/dovecot-lda", "-c", config.toString(), "-d", user, "-f", "sender@example.com", "-m", folder),
            Map.of(), message, dir);
    if (result.exit() != 0) {
      throw new IOException("dovecot-lda failed (" + result.exit() + "): " + result.output() + log());
    }
  }

  public String log() throws IOException {
    Path log = dir.resolve("dovecot.log");
    return Files.exists(log) ? Files.readString(log) : "(no log)";
  }

  private static void openUp(Path path) throws IOException {
    // JUnit's temporary directories are private to root; Dovecot's mail processes run as mail.
    for (Path at = path; at != null && at.startsWith("/tmp") && !at.toString().equals("/tmp"); at = at.getParent()) {
      Files.setPosixFilePermissions(at, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
