package io.vireo.relay.app;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.vireo.mailbox.store.Flag;
import io.vireo.mailbox.store.MailStore;
import io.vireo.relay.access.AccessProtocol;
import io.vireo.relay.auth.PasswordHashing;
import io.vireo.relay.auth.UsersFile;
import io.vireo.relay.testing.PemCertificate;
import io.vireo.relay.testing.PemCertificate.KeyFormat;
import io.vireo.relay.testing.PemCertificate.KeyType;
import io.vireo.relay.testing.TestRelays;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/**
 * Relays under test with local mailboxes: POP3 and POP3S on ephemeral loopback ports, a test
 * certificate, one user, and two messages put into that user's Maildir with the mailbox store (as
 * local delivery does).
 */
final class MailboxRelays {
  static final String USER = "alice@example.com";
  static final String PASSWORD = "s3cret pass";
  static final String FIRST =
      "From: bob@example.net\r\nTo: alice@example.com\r\nSubject: first\r\n\r\nhello\r\n";
  static final String SECOND =
      "From: bob@example.net\r\nTo: alice@example.com\r\nSubject: second\r\n\r\n"
          + "line one\r\n.starts with a dot\r\n.\r\nlast\r\n";

  /** A certificate for {@code mail.test} and a users file with {@link #USER}. */
  record Credentials(PemCertificate certificate, Path usersFile) {}

  private MailboxRelays() {}

  static Credentials credentials(Path dir) throws Exception {
    PemCertificate certificate =
        PemCertificate.generate(dir, "mail.test", KeyType.EC, KeyFormat.PKCS8);
    Path usersFile = dir.resolve("users");
    UsersFile.empty()
        .with(
            USER,
            new PasswordHashing()
                .hash(PasswordHashing.octets(PASSWORD), PasswordHashing.DEFAULT_COST))
        .write(usersFile);
    return new Credentials(certificate, usersFile);
  }

  /** A relay with POP3, POP3S and IMAP on ephemeral ports over {@code dir/mailboxes}. */
  static String yaml(Path dir, Credentials credentials, String extra) {
    return yaml(dir, credentials, TestRelays.PARKED_DELIVERY, extra);
  }

  /** As {@link #yaml(Path, Credentials, String)}, with {@code delivery} instead of parked mail. */
  static String yaml(Path dir, Credentials credentials, String delivery, String extra) {
    return """
        hostname: mail.test
        listen:
          smtp: 127.0.0.1:0
          admin: 127.0.0.1:0
          pop3: 127.0.0.1:0
          pop3s: 127.0.0.1:0
          imap: 127.0.0.1:0
        spool:
          dir: "%s"
        tls:
          cert-file: "%s"
          key-file: "%s"
        auth:
          users-file: "%s"
        mailbox:
          dir: "%s"
        """
            .formatted(
                dir.resolve("spool"),
                credentials.certificate().certFile(),
                credentials.certificate().keyFile(),
                credentials.usersFile(),
                dir.resolve("mailboxes"))
        + delivery
        + extra;
  }

  static InetSocketAddress pop3(Relay relay) {
    return relay.accessServer(AccessProtocol.POP3).orElseThrow().boundAddresses().getFirst();
  }

  static InetSocketAddress pop3s(Relay relay) {
    return relay
        .accessServer(AccessProtocol.POP3)
        .orElseThrow()
        .boundImplicitTlsAddresses()
        .getFirst();
  }

  static InetSocketAddress imap(Relay relay) {
    return relay.accessServer(AccessProtocol.IMAP).orElseThrow().boundAddresses().getFirst();
  }

  static void deliverTwo(Path dir) throws Exception {
    MailStore store = store(dir);
    store.deliver(USER, "INBOX", FIRST.getBytes(US_ASCII), Set.<Flag>of(), Instant.now());
    store.deliver(USER, "INBOX", SECOND.getBytes(US_ASCII), Set.<Flag>of(), Instant.now());
  }

  /** Messages in the user's INBOX, read by a fresh store as any other program would. */
  static int messagesLeft(Path dir) throws Exception {
    return store(dir).folder(USER, "INBOX").refresh().messages().size();
  }

  private static MailStore store(Path dir) {
    return new MailStore(dir.resolve("mailboxes"), Clock.systemUTC(), "mail.test");
  }
}
