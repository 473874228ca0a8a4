package io.vireo.bench.mail;

import static org.junit.jupiter.api.Assertions.fail;

import io.vireo.mailbox.testing.PrivateDovecot;
import io.vireo.mailbox.testing.PrivateDovecot.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The comparison harness's Dovecot for the client's tests: the shared {@link PrivateDovecot} started
 * from the harness's own template ({@code compare/mailbox/dovecot.conf.in}, IMAP and POP3, one
 * passwd-file user) over a Maildir written by the harness's generator ({@code
 * compare/mailbox/maildir.py}), so the tests also check those two files. A missing Dovecot, POP3
 * server or root skips the test, or fails it in CI (CI=true), as {@link PrivateDovecot} does.
 */
final class HarnessDovecot implements AutoCloseable {
  static final String USER = "bench";
  static final String PASSWORD = PrivateDovecot.PASSWORD;

  private final PrivateDovecot dovecot;
  final int imapPort;
  final int pop3Port;
  /** The generator's JSON summary (message count, octets with CRLF, search targets). */
  final String maildirSummary;

  private HarnessDovecot(PrivateDovecot dovecot, String maildirSummary) {
    this.dovecot = dovecot;
    this.imapPort = dovecot.imapPort();
    this.pop3Port = dovecot.pop3Port();
    this.maildirSummary = maildirSummary;
  }

  /** Generates {@code messages} messages for {@link #USER} and serves them; run files go to {@code dir}. */
  static HarnessDovecot start(Path dir, int messages) throws IOException, InterruptedException {
    PrivateDovecot.requireAvailable(Protocol.IMAP, Protocol.POP3);
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
    PrivateDovecot.handOver(mail);
    // The passwd-file user's uid and gid are the ones Dovecot's mail processes run as: the owner's.
    Path users = Files.writeString(dir.resolve("users"), USER + ":{PLAIN}" + PASSWORD + ":"
        + Files.getAttribute(mail, "unix:uid") + ":" + Files.getAttribute(mail, "unix:gid") + "::"
        + mail.resolve(USER) + "\n");
    // Read by Dovecot's auth process, which runs as the dovecot user.
    Files.getFileAttributeView(users, PosixFileAttributeView.class).setGroup(
        users.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("dovecot"));
    String template = Files.readString(Path.of("compare/mailbox/dovecot.conf.in"))
        .replace("@SESSIONS@", "100")
        .replace("@CLIENT_LIMIT@", "1000");
    return new HarnessDovecot(
        PrivateDovecot.start(dir, mail, template, Set.of(Protocol.IMAP, Protocol.POP3)), summary);
  }

  @Override
  public void close() throws InterruptedException {
    dovecot.close();
  }
}
