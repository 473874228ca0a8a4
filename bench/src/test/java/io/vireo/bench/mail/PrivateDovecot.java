package io.vireo.bench.mail;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private Dovecot for the client's tests, configured from the harness's own template
 * ({@code compare/mailbox/dovecot.conf.in}) and serving a Maildir written by the harness's generator
 * ({@code compare/mailbox/maildir.py}), so the tests also check those two files. Needs root (Dovecot
 * switches to the mail user) and the dovecot-imapd and dovecot-pop3d packages: missing either skips
 * the test, or fails it in CI (CI=true), where .ci/run installs them.
 */
final class PrivateDovecot implements AutoCloseable {
  static final String USER = "bench";
  static final String PASSWORD = "bench-password-0";

  private final Process process;
  private final Path dir;
  final int imapPort;
  final int pop3Port;
  /** The generator's JSON summary (message count, octets with CRLF, search targets). */
  final String maildirSummary;

  private PrivateDovecot(Process process, Path dir, int imapPort, int pop3Port, String maildirSummary) {
    this.process = process;
    this.dir = dir;
    this.imapPort = imapPort;
    this.pop3Port = pop3Port;
    this.maildirSummary = maildirSummary;
  }

  static PrivateDovecot start(Path dir, int messages) throws IOException, InterruptedException {
    require(Files.isExecutable(Path.of("/usr/sbin/dovecot")), "dovecot not found; apt-get install dovecot-imapd dovecot-pop3d");
    require(Files.isDirectory(Path.of("/usr/lib/dovecot/modules")) && Files.exists(Path.of("/usr/lib/dovecot/pop3")),
        "Dovecot's POP3 server not found; apt-get install dovecot-pop3d");
    require("root".equals(System.getProperty("user.name")), "a private Dovecot needs root");
    // Dovecot's mail processes run as nobody and its auth process as dovecot: they must reach the tree.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path mail = dir.resolve("mail");
    Path maildir = mail.resolve(USER).resolve("Maildir");
    Files.createDirectories(maildir.getParent());
    Process generator = new ProcessBuilder("/usr/bin/python3", "compare/mailbox/maildir.py",
            "--out", maildir.toString(), "--messages", Integer.toString(messages))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    String summary = new String(generator.getInputStream().readAllBytes()).strip();
    if (!generator.waitFor(120, TimeUnit.SECONDS) || generator.exitValue() != 0) {
      fail("maildir.py failed");
    }
    run("chown", "-R", "65534:65534", mail.toString());
    int imap = freePort();
    int pop3 = freePort();
    String template = Files.readString(Path.of("compare/mailbox/dovecot.conf.in"));
    String config = template
        .replace("@DIR@", dir.toString())
        .replace("@MAIL@", mail.toString())
        .replace("@IMAP_PORT@", Integer.toString(imap))
        .replace("@POP3_PORT@", Integer.toString(pop3))
        .replace("@SESSIONS@", "100")
        .replace("@CLIENT_LIMIT@", "1000");
    Files.createDirectories(dir.resolve("run"));
    Files.createDirectories(dir.resolve("state"));
    Path conf = Files.writeString(dir.resolve("dovecot.conf"), config);
    Path users = Files.writeString(dir.resolve("users"),
        USER + ":{PLAIN}" + PASSWORD + ":65534:65534::" + mail.resolve(USER) + "\n");
    run("chgrp", "dovecot", users.toString());
    Process dovecot = new ProcessBuilder("/usr/sbin/dovecot", "-F", "-c", conf.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("dovecot.out").toFile())
        .start();
    PrivateDovecot server = new PrivateDovecot(dovecot, dir, imap, pop3, summary);
    try {
      server.awaitListening(Duration.ofSeconds(60));
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void awaitListening(Duration limit) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    for (int port : List.of(imapPort, pop3Port)) {
      while (true) {
        try (Socket probe = new Socket("127.0.0.1", port)) {
          break;
        } catch (IOException e) {
          if (!process.isAlive() || Instant.now().isAfter(deadline)) {
            throw new IOException("Dovecot does not listen on " + port + ": "
                + Files.readString(dir.resolve("dovecot.out")), e);
          }
          Thread.sleep(50);
        }
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).inheritIO().start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      fail(String.join(" ", command) + " failed");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void require(boolean met, String hint) {
    if (met) {
      return;
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(hint);
    }
    assumeTrue(false, hint);
  }
}
