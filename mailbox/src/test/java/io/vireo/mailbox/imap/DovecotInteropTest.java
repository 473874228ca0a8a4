package io.vireo.mailbox.imap;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.mailbox.store.Flag;
import io.vireo.mailbox.store.MailStore;
import io.vireo.mailbox.store.Stored;
import io.vireo.mailbox.testing.AccessServer;
import io.vireo.mailbox.testing.ImapTestClient;
import io.vireo.mailbox.testing.PrivateDovecot;
import io.vireo.mailbox.testing.TestLogins;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with Dovecot both ways: Dovecot serves a Maildir Vireo's store wrote (same UIDs, flags,
 * folders, bytes), and Vireo's IMAP serves a Maildir Dovecot's LDA wrote (LF line ends, W= sizes,
 * Dovecot's UIDs), with flag changes seen by both.
 */
class DovecotInteropTest {
  @TempDir Path work;

  @BeforeEach
  void requireDovecot() {
    PrivateDovecot.requireAvailable();
  }

  @Test
  void dovecotServesAMaildirVireoWrote() throws Exception {
    Path mail = work.resolve("mail");
    MailStore store = new MailStore(mail, Clock.systemUTC(), "vireo.test");
    Stored first = store.deliver("bob", "INBOX", ImapDialogueTest.PLAIN.getBytes(US_ASCII), Set.of(), Instant.parse("2026-12-02T10:00:00Z"));
    store.deliver("bob", "INBOX", ImapDialogueTest.MULTIPART.getBytes(US_ASCII), Set.of(Flag.SEEN, Flag.FLAGGED), Instant.now());
    store.deliver("bob", "Archive", "Subject: kept\r\n\r\nold\r\n".getBytes(US_ASCII), Set.of(), Instant.now());
    store.subscribe("bob", "Archive");

    try (PrivateDovecot dovecot = PrivateDovecot.start(work.resolve("dovecot"), mail)) {
      PrivateDovecot.handOver(mail);
      try (ImapTestClient c = new ImapTestClient(dovecot.imapPort())) {
        c.line();
        assertThat(c.command("d1", "LOGIN bob secret").getLast()).as(dovecot.log()).startsWith("d1 OK");
        assertThat(c.command("d2", "SELECT INBOX"))
            .contains("* 2 EXISTS", "* OK [UIDVALIDITY " + first.uidValidity() + "] UIDs valid");
        assertThat(c.command("d3", "UID FETCH 1:* (FLAGS RFC822.SIZE BODY.PEEK[])"))
            .contains(
                "* 1 FETCH (UID 1 FLAGS () RFC822.SIZE " + ImapDialogueTest.PLAIN.length() + " BODY[] {"
                    + ImapDialogueTest.PLAIN.length() + "}\n" + ImapDialogueTest.PLAIN + ")",
                "* 2 FETCH (UID 2 FLAGS (\\Flagged \\Seen) RFC822.SIZE " + ImapDialogueTest.MULTIPART.length()
                    + " BODY[] {" + ImapDialogueTest.MULTIPART.length() + "}\n" + ImapDialogueTest.MULTIPART + ")");
        assertThat(c.command("d4", "LSUB \"\" *")).anyMatch(l -> l.matches("\\* LSUB \\(.*\\) \"\\.\" \"?Archive\"?"));
        assertThat(c.command("d5", "STATUS Archive (MESSAGES UIDNEXT)").getFirst())
            .matches("\\* STATUS \"?Archive\"? \\(MESSAGES 1 UIDNEXT 2\\)");
      }
    }
  }

  @Test
  void vireoServesAMaildirDovecotsLdaWroteAndBothSeeFlagChanges() throws Exception {
    Path mail = work.resolve("mail");
    String lfMessage = "From: x@example.com\nSubject: from the lda\n\nline one\nline two\n";
    String crlf = lfMessage.replace("\n", "\r\n");
    try (PrivateDovecot dovecot = PrivateDovecot.start(work.resolve("dovecot"), mail)) {
      PrivateDovecot.handOver(mail);
      dovecot.deliver("bob", "INBOX", lfMessage.getBytes(US_ASCII));
      dovecot.deliver("bob", "INBOX", "Subject: second\n\nbody\n".getBytes(US_ASCII));
      dovecot.deliver("bob", "Lists", "Subject: list mail\n\nhi\n".getBytes(US_ASCII));

      MailStore store = new MailStore(mail, Clock.systemUTC(), "vireo.test");
      ImapSettings settings = ImapSettings.defaults("imap.test", Clock.systemUTC());
      try (AccessServer vireo =
              new AccessServer(() -> new ImapSession(store, new TestLogins(Map.of("bob", "pw")), settings), null);
          ImapTestClient c = new ImapTestClient(vireo.port())) {
        c.line();
        c.command("v0", "LOGIN bob pw");
        assertThat(c.command("v1", "LIST \"\" *")).contains("* LIST (\\HasNoChildren) \".\" \"Lists\"");
        assertThat(c.command("v2", "SELECT INBOX")).contains("* 2 EXISTS");
        assertThat(c.command("v3", "UID FETCH 1 (RFC822.SIZE BODY.PEEK[] ENVELOPE)").getFirst())
            .isEqualTo("* 1 FETCH (UID 1 RFC822.SIZE " + crlf.length() + " BODY[] {" + crlf.length() + "}\n" + crlf
                + " ENVELOPE (NIL \"from the lda\" ((NIL NIL \"x\" \"example.com\")) ((NIL NIL \"x\" \"example.com\")) "
                + "((NIL NIL \"x\" \"example.com\")) NIL NIL NIL NIL NIL))");
        assertThat(c.command("v4", "UID FETCH 1:* (BODY.PEEK[TEXT]<5.3>)"))
            .contains("* 1 FETCH (UID 1 BODY[TEXT]<5> {3}\none)", "* 2 FETCH (UID 2 BODY[TEXT]<5> {1}\n\n)");
        assertThat(c.command("v5", "UID STORE 2 +FLAGS (\\Flagged)").getLast()).isEqualTo("v5 OK STORE completed");
      }
      PrivateDovecot.handOver(mail);
      try (ImapTestClient d = new ImapTestClient(dovecot.imapPort())) {
        d.line();
        d.command("d1", "LOGIN bob secret");
        d.command("d2", "SELECT INBOX");
        assertThat(d.command("d3", "UID FETCH 2 FLAGS").getFirst()).as(dovecot.log()).contains("\\Flagged");
      }
    }
  }
}
