package io.vireo.mailbox.imap;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.mailbox.store.Flag;
import io.vireo.mailbox.store.MailStore;
import io.vireo.mailbox.testing.AccessServer;
import io.vireo.mailbox.testing.ImapTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IMAP dialogues over a real socket, written like the transcripts of RFC 9051. */
class ImapDialogueTest {
  static final String PLAIN =
      "From: Alice <alice@example.com>\r\nTo: bob@example.net\r\nSubject: plain one\r\n"
          + "Date: Wed, 02 Dec 2026 10:00:00 +0000\r\nMessage-ID: <one@example.com>\r\n\r\nHello Bob.\r\nBye.\r\n";
  static final String MULTIPART =
      "From: Carol <carol@example.org>\r\nTo: bob@example.net, \"Dan D.\" <dan@example.net>\r\n"
          + "Subject: =?UTF-8?Q?caf=C3=A9?=\r\nMIME-Version: 1.0\r\n"
          + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\npreamble\r\n--b1\r\n"
          + "Content-Type: text/plain; charset=utf-8\r\n\r\nfirst part\r\nline two\r\n--b1\r\n"
          + "Content-Type: application/octet-stream; name=\"a.bin\"\r\nContent-Transfer-Encoding: base64\r\n"
          + "Content-Disposition: attachment; filename=\"a.bin\"\r\n\r\nAAECAw==\r\n--b1--\r\n";

  @TempDir Path root;
  MailStore store;
  AccessServer server;

  @BeforeEach
  void start() throws Exception {
    store = new MailStore(root, Clock.systemUTC(), "test.example");
    server = AccessServer.imap(store);
    store.deliver("bob", "INBOX", PLAIN.getBytes(US_ASCII), Set.of(), Instant.parse("2026-12-02T10:00:00Z"));
    store.deliver("bob", "INBOX", MULTIPART.getBytes(US_ASCII), Set.of(Flag.FLAGGED), Instant.parse("2026-12-02T11:00:00Z"));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private ImapTestClient loggedIn() throws Exception {
    ImapTestClient c = new ImapTestClient(server.port());
    assertThat(c.line()).startsWith("* OK [CAPABILITY IMAP4rev1 IMAP4rev2").contains("AUTH=PLAIN");
    assertThat(c.command("a0", "LOGIN bob secret").getLast()).startsWith("a0 OK [CAPABILITY");
    return c;
  }

  @Test
  void loginSelectFetchStoreAndLogout() throws Exception {
    try (ImapTestClient c = loggedIn()) {
      assertThat(c.command("a1", "SELECT INBOX"))
          .contains(
              "* 2 EXISTS",
              "* 0 RECENT",
              "* OK [UNSEEN 1] First unseen",
              "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)")
          .anyMatch(l -> l.matches("\\* OK \\[UIDVALIDITY \\d+\\] UIDs valid"))
          .contains("* OK [UIDNEXT 3] Predicted next UID")
          .last().isEqualTo("a1 OK [READ-WRITE] SELECT completed");
      assertThat(Files.list(root.resolve("bob/Maildir/new"))).isEmpty();

      assertThat(c.command("a2", "FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE)"))
          .containsExactly(
              "* 1 FETCH (UID 1 FLAGS () RFC822.SIZE " + PLAIN.length() + " INTERNALDATE \"02-Dec-2026 10:00:00 +0000\")",
              "* 2 FETCH (UID 2 FLAGS (\\Flagged) RFC822.SIZE " + MULTIPART.length()
                  + " INTERNALDATE \"02-Dec-2026 11:00:00 +0000\")",
              "a2 OK FETCH completed");
      assertThat(c.command("a3", "FETCH 1 ENVELOPE").getFirst())
          .isEqualTo("* 1 FETCH (ENVELOPE (\"Wed, 02 Dec 2026 10:00:00 +0000\" \"plain one\" "
              + "((\"Alice\" NIL \"alice\" \"example.com\")) ((\"Alice\" NIL \"alice\" \"example.com\")) "
              + "((\"Alice\" NIL \"alice\" \"example.com\")) ((NIL NIL \"bob\" \"example.net\")) NIL NIL NIL "
              + "\"<one@example.com>\"))");
      assertThat(c.command("a4", "FETCH 2 BODYSTRUCTURE").getFirst())
          .isEqualTo("* 2 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 20 2 NIL NIL NIL NIL)"
              + "(\"application\" \"octet-stream\" (\"NAME\" \"a.bin\") NIL NIL \"BASE64\" 8 NIL "
              + "(\"attachment\" (\"FILENAME\" \"a.bin\")) NIL NIL) \"mixed\" (\"BOUNDARY\" \"b1\") NIL NIL NIL))");
      assertThat(c.command("a5", "FETCH 2 (BODY.PEEK[1] BODY.PEEK[2.MIME] BODY.PEEK[HEADER.FIELDS (SUBJECT)])").getFirst())
          .isEqualTo("* 2 FETCH (BODY[1] {20}\nfirst part\r\nline two "
              + "BODY[2.MIME] {142}\nContent-Type: application/octet-stream; name=\"a.bin\"\r\n"
              + "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"a.bin\"\r\n\r\n "
              + "BODY[HEADER.FIELDS (SUBJECT)] {34}\nSubject: =?UTF-8?Q?caf=C3=A9?=\r\n\r\n)");
      assertThat(c.command("a6", "FETCH 1 (BODY[TEXT]<6.3>)"))
          .containsExactly("* 1 FETCH (BODY[TEXT]<6> {3}\nBob FLAGS (\\Seen))", "a6 OK FETCH completed");
      assertThat(c.command("a7", "FETCH 1 RFC822").getFirst())
          .isEqualTo("* 1 FETCH (RFC822 {" + PLAIN.length() + "}\n" + PLAIN + ")");
      assertThat(c.command("a8", "STORE 1:2 +FLAGS (\\Deleted)"))
          .containsExactly(
              "* 1 FETCH (FLAGS (\\Seen \\Deleted))",
              "* 2 FETCH (FLAGS (\\Flagged \\Deleted))",
              "a8 OK STORE completed");
      assertThat(c.command("a9", "UID STORE 2 -FLAGS.SILENT (\\Deleted)")).containsExactly("a9 OK STORE completed");
      assertThat(c.command("a10", "EXPUNGE")).containsExactly("* 1 EXPUNGE", "a10 OK EXPUNGE completed");
      assertThat(c.command("a11", "UID FETCH 1:* FLAGS"))
          .containsExactly("* 1 FETCH (UID 2 FLAGS (\\Flagged))", "a11 OK FETCH completed");
      assertThat(c.command("a12", "LOGOUT")).containsExactly("* BYE Logging out", "a12 OK LOGOUT completed");
    }
  }

  @Test
  void searchCopyMoveAndAppendWithUidPlus() throws Exception {
    try (ImapTestClient c = loggedIn()) {
      c.command("s0", "SELECT INBOX");
      assertThat(c.command("s1", "SEARCH FLAGGED")).containsExactly("* SEARCH 2", "s1 OK SEARCH completed");
      assertThat(c.command("s2", "SEARCH OR FROM alice SUBJECT \"café\"").getFirst()).isEqualTo("* SEARCH 1 2");
      assertThat(c.command("s3", "UID SEARCH NOT FLAGGED BODY bob").getFirst()).isEqualTo("* SEARCH 1");
      assertThat(c.command("s4", "SEARCH SINCE 2-Dec-2026 LARGER 200").getFirst()).isEqualTo("* SEARCH 2");
      assertThat(c.command("s5", "SEARCH RETURN (MIN MAX COUNT) ALL").getFirst())
          .isEqualTo("* ESEARCH (TAG \"s5\") MIN 1 MAX 2 COUNT 2");
      assertThat(c.command("s6", "SEARCH CHARSET KOI8-R ALL").getLast()).startsWith("s6 NO [BADCHARSET");

      assertThat(c.command("c1", "COPY 1 Projects").getLast()).isEqualTo("c1 NO [TRYCREATE] No such mailbox");
      assertThat(c.command("c2", "CREATE Projects").getLast()).isEqualTo("c2 OK CREATE completed");
      assertThat(c.command("c3", "COPY 1:2 Projects").getLast()).matches("c3 OK \\[COPYUID \\d+ 1:2 1:2\\] COPY completed");
      assertThat(c.command("c4", "UID MOVE 1 Projects"))
          .satisfies(lines -> assertThat(lines.getFirst()).matches("\\* OK \\[COPYUID \\d+ 1 3\\] Moved"))
          .contains("* 1 EXPUNGE")
          .last().isEqualTo("c4 OK MOVE completed");
      assertThat(c.command("c5", "STATUS Projects (MESSAGES UIDNEXT UNSEEN)"))
          .containsExactly("* STATUS \"Projects\" (MESSAGES 3 UIDNEXT 4 UNSEEN 3)", "c5 OK STATUS completed");

      String appended = "Subject: appended\r\n\r\nbody\r\n";
      c.send("p1 APPEND Projects (\\Seen) \" 2-Dec-2026 12:00:00 +0100\" {" + appended.length() + "}");
      assertThat(c.line()).startsWith("+ ");
      c.send(appended);
      assertThat(c.until("p1").getLast()).matches("p1 OK \\[APPENDUID \\d+ 4\\] APPEND completed");
      c.sendRaw(("p2 APPEND INBOX {" + appended.length() + "+}\r\n" + appended + "\r\n").getBytes(US_ASCII));
      assertThat(c.until("p2")).contains("* 2 EXISTS").last().asString().matches("p2 OK \\[APPENDUID \\d+ 3\\] APPEND completed");
      assertThat(c.command("p3", "FETCH 2 (FLAGS BODY.PEEK[])").getFirst())
          .isEqualTo("* 2 FETCH (FLAGS () BODY[] {" + appended.length() + "}\n" + appended + ")");
      assertThat(c.command("p4", "EXAMINE Projects")).last().isEqualTo("p4 OK [READ-ONLY] EXAMINE completed");
      assertThat(c.command("p5", "FETCH 4 INTERNALDATE").getFirst())
          .isEqualTo("* 4 FETCH (INTERNALDATE \"02-Dec-2026 11:00:00 +0000\")");
      assertThat(c.command("p6", "STORE 1 +FLAGS (\\Seen)").getLast()).startsWith("p6 NO [READ-ONLY]");
    }
  }

  @Test
  void foldersListSubscribeRenameDelete() throws Exception {
    try (ImapTestClient c = loggedIn()) {
      c.command("f1", "CREATE Work.");
      c.command("f2", "CREATE Work.2026");
      c.command("f3", "SUBSCRIBE Work");
      assertThat(c.command("f4", "LIST \"\" \"\"")).containsExactly("* LIST (\\Noselect) \".\" \"\"", "f4 OK LIST completed");
      assertThat(c.command("f5", "LIST \"\" *"))
          .containsExactly(
              "* LIST (\\HasNoChildren) \".\" \"INBOX\"",
              "* LIST (\\HasNoChildren \\Archive) \".\" \"Archive\"",
              "* LIST (\\HasNoChildren \\Drafts) \".\" \"Drafts\"",
              "* LIST (\\HasNoChildren \\Junk) \".\" \"Junk\"",
              "* LIST (\\HasNoChildren \\Sent) \".\" \"Sent\"",
              "* LIST (\\HasNoChildren \\Trash) \".\" \"Trash\"",
              "* LIST (\\HasChildren) \".\" \"Work\"",
              "* LIST (\\HasNoChildren) \".\" \"Work.2026\"",
              "f5 OK LIST completed");
      assertThat(c.command("f6", "LIST \"\" %")).hasSize(8);
      assertThat(c.command("f7", "LSUB \"\" W*")).containsExactly("* LSUB () \".\" \"Work\"", "f7 OK LSUB completed");
      assertThat(c.command("f8", "LIST (SUBSCRIBED) \"\" W*"))
          .containsExactly("* LIST (\\HasChildren \\Subscribed) \".\" \"Work\"", "f8 OK LIST completed");
      assertThat(c.command("f9", "RENAME Work Jobs").getLast()).isEqualTo("f9 OK RENAME completed");
      assertThat(c.command("f10", "LIST \"\" Jobs*")).hasSize(3);
      assertThat(c.command("f11", "CREATE Jobs").getLast()).isEqualTo("f11 NO [ALREADYEXISTS] folder exists: Jobs");
      assertThat(c.command("f12", "DELETE inbox").getLast()).startsWith("f12 NO [CANNOT]");
      assertThat(c.command("f13", "DELETE Jobs.2026").getLast()).isEqualTo("f13 OK DELETE completed");
      assertThat(c.command("f14", "SELECT Nowhere").getLast()).startsWith("f14 NO [NONEXISTENT]");
      assertThat(c.command("f15", "NAMESPACE")).containsExactly("* NAMESPACE ((\"\" \".\")) NIL NIL", "f15 OK NAMESPACE completed");
    }
  }

  @Test
  void twoSessionsSeeEachOthersChangesAndIdleWakes() throws Exception {
    try (ImapTestClient first = loggedIn(); ImapTestClient second = loggedIn()) {
      first.command("x1", "SELECT INBOX");
      second.command("y1", "SELECT INBOX");
      first.send("x2 IDLE");
      assertThat(first.line()).isEqualTo("+ idling");

      second.command("y2", "STORE 1 +FLAGS (\\Answered)");
      assertThat(first.line()).isEqualTo("* 1 FETCH (UID 1 FLAGS (\\Answered))");
      store.deliver("bob", "INBOX", PLAIN.getBytes(US_ASCII), Set.of(), Instant.now());
      assertThat(first.line()).isEqualTo("* 3 EXISTS");
      assertThat(second.command("y3", "STORE 2 +FLAGS.SILENT (\\Deleted)")).containsExactly("* 3 EXISTS", "y3 OK STORE completed");
      assertThat(first.line()).isEqualTo("* 2 FETCH (UID 2 FLAGS (\\Flagged \\Deleted))");
      assertThat(second.command("y4", "EXPUNGE")).containsExactly("* 2 EXPUNGE", "y4 OK EXPUNGE completed");
      assertThat(first.line()).isEqualTo("* 2 EXPUNGE");
      first.send("DONE");
      assertThat(first.line()).isEqualTo("x2 OK IDLE terminated");

      second.command("y5", "STORE 1 +FLAGS.SILENT (\\Seen)");
      // No EXPUNGE during FETCH (RFC 9051 section 7.5.1), but flag changes come with it.
      second.command("y6", "STORE 2 +FLAGS.SILENT (\\Deleted)");
      second.command("y7", "EXPUNGE");
      List<String> fetch = first.command("x3", "FETCH 1 FLAGS");
      assertThat(fetch).noneMatch(l -> l.endsWith("EXPUNGE")).last().isEqualTo("x3 OK FETCH completed");
      assertThat(first.command("x4", "NOOP")).containsExactly("* 2 EXPUNGE", "x4 OK NOOP completed");
    }
  }

  @Test
  void authenticatePlainWithInitialResponseAndBadInputKeepsTheSessionServing() throws Exception {
    try (ImapTestClient c = new ImapTestClient(server.port())) {
      c.line();
      assertThat(c.command("b1", "SELECT INBOX").getLast()).isEqualTo("b1 BAD Log in first");
      assertThat(c.command("b2", "AUTHENTICATE PLAIN AGJvYgB3cm9uZw==").getLast())
          .isEqualTo("b2 NO [AUTHENTICATIONFAILED] Authentication failed");
      c.send("b3 AUTHENTICATE PLAIN");
      assertThat(c.line()).isEqualTo("+ ");
      c.send("AGJvYgBzZWNyZXQ=");
      assertThat(c.until("b3").getLast()).startsWith("b3 OK [CAPABILITY");
      assertThat(c.command("b4", "FETCH 1 FLAGS").getLast()).isEqualTo("b4 BAD No mailbox selected");
      assertThat(c.command("b5", "FROB").getLast()).isEqualTo("b5 BAD unknown command FROB");
      c.sendRaw("b6 NOOP\n".getBytes(US_ASCII));
      assertThat(c.line()).isEqualTo("b6 BAD lines must end with CRLF");
      c.send("b7 LOGIN " + "x".repeat(9000) + " y");
      assertThat(c.line()).isEqualTo("b7 BAD command line too long");
      c.send("b8 APPEND INBOX {2000000}");
      assertThat(c.line()).isEqualTo("b8 BAD [TOOBIG] literal too large");
      assertThat(c.command("b9", "NOOP").getLast()).isEqualTo("b9 OK NOOP completed");
      c.send("b10 FROB");
      assertThat(c.line()).isEqualTo("b10 BAD unknown command FROB");
      assertThat(c.line()).isEqualTo("* BYE Too many invalid commands");
    }
  }
}
