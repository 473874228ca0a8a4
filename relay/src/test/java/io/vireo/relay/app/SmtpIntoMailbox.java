package io.vireo.relay.app;

import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Mail in through the front door for the readers' tests: each message is sent over SMTP to
 * {@link MailboxRelays#USER} (a {@code local.domains} user) and awaited in that user's INBOX before
 * the next is sent, so UIDs and POP3 message numbers follow the order given.
 */
final class SmtpIntoMailbox {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** The {@code local} section that makes {@link MailboxRelays#USER} a local mailbox. */
  static final String LOCAL = "local: { domains: [example.com] }\n";

  private SmtpIntoMailbox() {}

  /**
   * Sends each of {@code contents} (CRLF lines, not dot-stuffed; may hold UTF-8) with {@code
   * BODY=8BITMIME} and returns the octets local delivery wrote for each, in the same order.
   */
  static List<byte[]> deliver(Relay relay, Path dir, String... contents) throws Exception {
    Path maildir = Maildirs.of(dir.resolve("mailboxes"), MailboxRelays.USER);
    List<byte[]> delivered = new ArrayList<>();
    Set<Path> seen = new HashSet<>(Maildirs.files(maildir, "new", "cur"));
    for (String content : contents) {
      try (SmtpTestClient client = SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
        client.ehlo("app.test");
        client.sendMessage("bob@example.net", "BODY=8BITMIME", List.of(MailboxRelays.USER), content);
      }
      Await.until(
          "the message in the Maildir",
          WAIT,
          () -> Maildirs.files(maildir, "new", "cur").size() == seen.size() + 1);
      Path file =
          Maildirs.files(maildir, "new", "cur").stream()
              .filter(f -> !seen.contains(f))
              .findFirst()
              .orElseThrow();
      seen.add(file);
      delivered.add(read(file));
    }
    return delivered;
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
