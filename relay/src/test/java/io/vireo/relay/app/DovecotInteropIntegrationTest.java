package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.mailbox.testing.ExternalTool;
import io.vireo.mailbox.testing.PrivateDovecot;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.RelayExtension;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dovecot serves what Vireo delivered: mail in over SMTP for a {@code local.domains} user lands in
 * a Maildir, then a private Dovecot ({@code mail_location = maildir:<root>/%u/Maildir}) serves it
 * to Python's imaplib byte for byte, with Vireo's UID kept (Dovecot reads {@code dovecot-uidlist}).
 */
class DovecotInteropIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  @RegisterExtension final RelayExtension relays = new RelayExtension();

  @Test
  void dovecotServesAMessageVireoDeliveredLocally() throws Exception {
    Path python = ExternalTool.require("python3", "python3");
    Path mailboxes = dir.resolve("mailboxes");
    String extra =
        """
        local:
          domains: [example.com]
          catch-all: { example.com: alice }
        mailbox:
          dir: "%s"
        """
            .formatted(mailboxes);
    String content =
        "From: app@sender.test\r\nTo: alice@example.com\r\nSubject: through Dovecot\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n\r\nGr\u00fc\u00dfe aus Vireo\r\n.\r\n..two\r\n";
    try (Relay relay = relays.start(TestRelays.PARKED_DELIVERY, extra)) {
      try (SmtpTestClient client = relays.client()) {
        client.ehlo("app.test");
        client.sendMessage("app@sender.test", "BODY=8BITMIME", List.of("alice@example.com"), content);
      }
      Await.until(
          "the message in alice's Maildir",
          WAIT,
          () -> Maildirs.messages(mailboxes, "alice").size() == 1);
    }
    String delivered = Maildirs.messages(mailboxes, "alice").getFirst();
    assertThat(delivered).endsWith(content);
    PrivateDovecot.handOver(mailboxes);
    try (PrivateDovecot dovecot = PrivateDovecot.start(dir.resolve("dovecot"), mailboxes)) {
      Path fetched = dir.resolve("fetched.eml");
      String script =
          """
          import imaplib, sys
          m = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]))
          m.login("alice", sys.argv[2])
          typ, data = m.select("INBOX", readonly=True)
          assert typ == "OK" and data[0] == b"1", data
          typ, data = m.uid("FETCH", "1:*", "(UID BODY.PEEK[])")
          assert typ == "OK", data
          print(data[0][0].decode())
          open(sys.argv[3], "wb").write(data[0][1])
          m.logout()
          """;
      ProcessRunner.Result result =
          ProcessRunner.runScript(
              python,
              script,
              WAIT,
              String.valueOf(dovecot.imapPort()),
              PrivateDovecot.PASSWORD,
              fetched.toString());
      assertThat(result.exitCode()).as(result.output() + dovecot.log()).isZero();
      assertThat(result.output()).contains("UID 1 ");
      assertThat(Files.readString(fetched, StandardCharsets.UTF_8)).isEqualTo(delivered);
    }
  }
}
