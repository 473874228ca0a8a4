package io.vireo.mailbox.imap;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.mailbox.store.MailStore;
import io.vireo.mailbox.testing.AccessServer;
import io.vireo.mailbox.testing.ImapTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONDSTORE (RFC 7162 section 3.1) dialogues, written like the RFC's examples: mod-sequences grow
 * with every append, flag change and expunge, and survive a restart.
 */
class CondStoreDialogueTest {
  @TempDir Path root;
  AccessServer server;

  @BeforeEach
  void start() throws Exception {
    MailStore store = new MailStore(root, Clock.systemUTC(), "test.example");
    server = AccessServer.imap(store);
    // The folder's first load gives it HIGHESTMODSEQ 1; each delivery takes the next one.
    for (int i = 1; i <= 3; i++) {
      store.deliver("bob", "INBOX", ("Subject: " + i + "\r\n\r\nbody\r\n").getBytes(US_ASCII), Set.of(), Instant.now());
    }
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private ImapTestClient loggedIn() throws Exception {
    ImapTestClient c = new ImapTestClient(server.port());
    assertThat(c.line()).contains(" CONDSTORE");
    assertThat(c.command("a0", "LOGIN bob secret").getLast()).startsWith("a0 OK [CAPABILITY").contains(" CONDSTORE");
    return c;
  }

  @Test
  void fetchStoreSearchAndStatusWithModSequences() throws Exception {
    try (ImapTestClient c = loggedIn(); ImapTestClient other = loggedIn()) {
      assertThat(c.command("c1", "ENABLE CONDSTORE")).containsExactly("* ENABLED CONDSTORE", "c1 OK ENABLE completed");
      assertThat(c.command("c2", "SELECT INBOX (CONDSTORE)"))
          .contains("* 3 EXISTS", "* OK [HIGHESTMODSEQ 4] Highest")
          .last().isEqualTo("c2 OK [READ-WRITE] SELECT completed");
      assertThat(c.command("c3", "FETCH 1:* (FLAGS MODSEQ)"))
          .containsExactly(
              "* 1 FETCH (FLAGS () MODSEQ (2))",
              "* 2 FETCH (FLAGS () MODSEQ (3))",
              "* 3 FETCH (FLAGS () MODSEQ (4))",
              "c3 OK FETCH completed");
      assertThat(c.command("c4", "STORE 1 +FLAGS (\\Seen)"))
          .containsExactly("* 1 FETCH (FLAGS (\\Seen) MODSEQ (5))", "c4 OK STORE completed");
      assertThat(c.command("c5", "UID FETCH 1:* (FLAGS) (CHANGEDSINCE 4)"))
          .containsExactly("* 1 FETCH (UID 1 FLAGS (\\Seen) MODSEQ (5))", "c5 OK FETCH completed");

      // Section 3.1.3: message 1 changed after 4, so it is left alone and named in MODIFIED;
      // the others change (one new mod-sequence for the command) and .SILENT still reports it.
      assertThat(c.command("c6", "STORE 1:3 (UNCHANGEDSINCE 4) +FLAGS.SILENT (\\Flagged)"))
          .containsExactly(
              "* 2 FETCH (MODSEQ (6))", "* 3 FETCH (MODSEQ (6))", "c6 OK [MODIFIED 1] Conditional STORE failed");
      assertThat(c.command("c7", "UID STORE 1 (UNCHANGEDSINCE 5) -FLAGS (\\Seen)"))
          .containsExactly("* 1 FETCH (UID 1 FLAGS () MODSEQ (7))", "c7 OK STORE completed");
      assertThat(c.command("c8", "UID STORE 2:3 (UNCHANGEDSINCE 0) +FLAGS (\\Seen)"))
          .containsExactly("c8 OK [MODIFIED 2:3] Conditional STORE failed");

      assertThat(c.command("s1", "SEARCH MODSEQ 6")).containsExactly("* SEARCH 1 2 3 (MODSEQ 7)", "s1 OK SEARCH completed");
      assertThat(c.command("s2", "UID SEARCH MODSEQ \"/flags/\\\\draft\" all 7 UNSEEN"))
          .containsExactly("* SEARCH 1 (MODSEQ 7)", "s2 OK SEARCH completed");
      assertThat(c.command("s3", "SEARCH MODSEQ 8")).containsExactly("* SEARCH", "s3 OK SEARCH completed");
      assertThat(c.command("s4", "SEARCH RETURN (COUNT) MODSEQ 6").getFirst())
          .isEqualTo("* ESEARCH (TAG \"s4\") COUNT 3 MODSEQ 7");
      assertThat(c.command("s5", "STATUS INBOX (HIGHESTMODSEQ MESSAGES)"))
          .containsExactly("* STATUS \"INBOX\" (HIGHESTMODSEQ 7 MESSAGES 3)", "s5 OK STATUS completed");

      // Another session's change comes with its MODSEQ; an expunge takes a mod-sequence too.
      other.command("o1", "SELECT INBOX");
      assertThat(other.command("o2", "STORE 2 +FLAGS (\\Answered)"))
          .containsExactly("* 2 FETCH (FLAGS (\\Flagged \\Answered))", "o2 OK STORE completed");
      assertThat(c.command("n1", "NOOP"))
          .containsExactly("* 2 FETCH (UID 2 FLAGS (\\Flagged \\Answered) MODSEQ (8))", "n1 OK NOOP completed");
      assertThat(c.command("e1", "STORE 3 +FLAGS.SILENT (\\Deleted)"))
          .containsExactly("* 3 FETCH (MODSEQ (9))", "e1 OK STORE completed");
      assertThat(c.command("e2", "EXPUNGE")).containsExactly("* 3 EXPUNGE", "e2 OK EXPUNGE completed");
      assertThat(c.command("e3", "STATUS INBOX (HIGHESTMODSEQ)").getFirst())
          .isEqualTo("* STATUS \"INBOX\" (HIGHESTMODSEQ 10)");
      assertThat(other.command("o3", "FETCH 1 (FLAGS)")).containsExactly("* 1 FETCH (FLAGS ())", "o3 OK FETCH completed");
      assertThat(c.command("b1", "FETCH 1 (FLAGS) (VANISHED)").getLast()).startsWith("b1 BAD");
      assertThat(c.command("b2", "SELECT INBOX (QRESYNC (1 2))").getLast()).startsWith("b2 BAD");
    }
  }

  @Test
  void modSequencesSurviveARestartAndAChangeMadeMeanwhileOnDiskGetsANewOne() throws Exception {
    try (ImapTestClient c = loggedIn()) {
      c.command("c1", "SELECT INBOX");
      c.command("c2", "STORE 2 +FLAGS (\\Seen)");
      assertThat(c.command("c3", "STORE 3 +FLAGS (\\Deleted)").getFirst()).isEqualTo("* 3 FETCH (FLAGS (\\Deleted))");
      c.command("c4", "EXPUNGE");
      assertThat(c.command("c5", "FETCH 1:* MODSEQ"))
          .containsExactly("* 1 FETCH (MODSEQ (2))", "* 2 FETCH (MODSEQ (5))", "c5 OK FETCH completed");
    }
    server.close();
    // While Vireo is down another program (Dovecot, a mail client on the files) flags message 1.
    Path cur = root.resolve("bob/Maildir/cur");
    Path first;
    try (Stream<Path> files = Files.list(cur)) {
      first = files.filter(f -> f.getFileName().toString().endsWith(":2,")).findFirst().orElseThrow();
    }
    Files.move(first, cur.resolve(first.getFileName() + "F"));

    server = AccessServer.imap(new MailStore(root, Clock.systemUTC(), "test.example"));
    try (ImapTestClient c = loggedIn()) {
      // A load goes on above the mod-sequences the file reserved (ModSeqLog.RESERVE past 2, the
      // first one synced), not from the last one given: they only ever grow.
      assertThat(c.command("r1", "EXAMINE INBOX (CONDSTORE)"))
          .contains("* OK [HIGHESTMODSEQ 10003] Highest");
      assertThat(c.command("r2", "FETCH 1:* (UID FLAGS)"))
          .containsExactly(
              "* 1 FETCH (UID 1 FLAGS (\\Flagged) MODSEQ (10003))",
              "* 2 FETCH (UID 2 FLAGS (\\Seen) MODSEQ (5))",
              "r2 OK FETCH completed");
      String appended = "Subject: later\r\n\r\nx\r\n";
      c.sendRaw(("r3 APPEND INBOX {" + appended.length() + "+}\r\n" + appended + "\r\n").getBytes(US_ASCII));
      assertThat(c.until("r3").getLast()).matches("r3 OK \\[APPENDUID \\d+ 4\\] APPEND completed");
      assertThat(c.command("r4", "UID FETCH 4 MODSEQ"))
          .containsExactly("* 3 FETCH (UID 4 MODSEQ (10004))", "r4 OK FETCH completed");
    }
    assertThat(Files.readString(root.resolve("bob/Maildir/vireo-modseq")))
        .startsWith("V")
        .contains("\n4 10004 -\n");
    assertThat(List.of("dovecot-uidlist", "vireo-modseq")).allMatch(f -> Files.exists(root.resolve("bob/Maildir").resolve(f)));
  }
}
