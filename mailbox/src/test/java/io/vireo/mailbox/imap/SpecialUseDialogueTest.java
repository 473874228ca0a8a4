package io.vireo.mailbox.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.mailbox.store.MailStore;
import io.vireo.mailbox.testing.AccessServer;
import io.vireo.mailbox.testing.ImapTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPECIAL-USE and CREATE-SPECIAL-USE (RFC 6154) dialogues, written like the RFC's examples. */
class SpecialUseDialogueTest {
  @TempDir Path root;
  AccessServer server;

  @BeforeEach
  void start() throws Exception {
    server = AccessServer.imap(new MailStore(root, Clock.systemUTC(), "test.example"));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private ImapTestClient loggedIn() throws Exception {
    ImapTestClient c = new ImapTestClient(server.port());
    assertThat(c.line()).contains("SPECIAL-USE CREATE-SPECIAL-USE");
    assertThat(c.command("a0", "LOGIN bob secret").getLast())
        .startsWith("a0 OK [CAPABILITY")
        .contains(" SPECIAL-USE CREATE-SPECIAL-USE");
    return c;
  }

  @Test
  void theFirstLoginMakesTheSpecialFoldersSubscribedAndListShowsTheirUse() throws Exception {
    Path maildir = root.resolve("bob/Maildir");
    assertThat(maildir).doesNotExist();
    try (ImapTestClient c = loggedIn()) {
      assertThat(c.command("t1", "LIST \"\" \"*\""))
          .containsExactly(
              "* LIST (\\HasNoChildren) \".\" \"INBOX\"",
              "* LIST (\\HasNoChildren \\Archive) \".\" \"Archive\"",
              "* LIST (\\HasNoChildren \\Drafts) \".\" \"Drafts\"",
              "* LIST (\\HasNoChildren \\Junk) \".\" \"Junk\"",
              "* LIST (\\HasNoChildren \\Sent) \".\" \"Sent\"",
              "* LIST (\\HasNoChildren \\Trash) \".\" \"Trash\"",
              "t1 OK LIST completed");
      assertThat(c.command("t2", "LIST (SPECIAL-USE) \"\" \"*\""))
          .hasSize(6)
          .noneMatch(l -> l.endsWith("\"INBOX\""))
          .contains("* LIST (\\HasNoChildren \\Sent) \".\" \"Sent\"");
      assertThat(c.command("t3", "LIST \"\" \"S%\" RETURN (SPECIAL-USE)"))
          .containsExactly("* LIST (\\HasNoChildren \\Sent) \".\" \"Sent\"", "t3 OK LIST completed");
      assertThat(c.command("t4", "LSUB \"\" \"*\""))
          .containsExactly(
              "* LSUB () \".\" \"Sent\"",
              "* LSUB () \".\" \"Drafts\"",
              "* LSUB () \".\" \"Trash\"",
              "* LSUB () \".\" \"Junk\"",
              "* LSUB () \".\" \"Archive\"",
              "t4 OK LSUB completed");
      assertThat(c.command("t5", "STATUS Sent (MESSAGES UIDNEXT)"))
          .containsExactly("* STATUS \"Sent\" (MESSAGES 0 UIDNEXT 1)", "t5 OK STATUS completed");
    }
    // Real Maildir++ folders, and the record of their use beside "subscriptions".
    assertThat(maildir.resolve(".Sent/cur")).isDirectory();
    assertThat(maildir.resolve(".Sent/maildirfolder")).exists();
    assertThat(Files.readString(maildir.resolve("vireo-special-use")))
        .isEqualTo("Sent\t\\Sent\nDrafts\t\\Drafts\nTrash\t\\Trash\nJunk\t\\Junk\nArchive\t\\Archive\n");
    assertThat(Files.list(maildir.resolve("tmp"))).isEmpty();
  }

  @Test
  void createWithUseRenameAndDeleteSurviveARestart() throws Exception {
    try (ImapTestClient c = loggedIn()) {
      // RFC 6154 section 5.3's examples.
      assertThat(c.command("t1", "CREATE MySpecial (USE (\\Drafts \\Sent))"))
          .containsExactly("t1 OK CREATE completed");
      assertThat(c.command("t2", "LIST \"\" MySpecial"))
          .containsExactly("* LIST (\\HasNoChildren \\Drafts \\Sent) \".\" \"MySpecial\"", "t2 OK LIST completed");
      assertThat(c.command("t3", "CREATE Everything (USE (\\All))"))
          .containsExactly("t3 NO [USEATTR] \\All is for virtual folders, not supported");
      assertThat(c.command("t4", "CREATE Important (USE (\\Important))"))
          .containsExactly("t4 NO [USEATTR] \\Important is not a special use");
      assertThat(c.command("t5", "LIST \"\" \"E*\"")).containsExactly("t5 OK LIST completed");
      assertThat(c.command("t6", "CREATE Other (COLOR (red))").getLast()).startsWith("t6 BAD unknown CREATE parameter");
      assertThat(c.command("t7", "CREATE Plain")).containsExactly("t7 OK CREATE completed");
      assertThat(c.command("t7b", "CREATE Plain.Child (USE (\\Archive))")).containsExactly("t7b OK CREATE completed");

      // The use goes with the folder when it is renamed, children included; DELETE drops it.
      assertThat(c.command("t8", "RENAME Plain \"Old Mail\"")).containsExactly("t8 OK RENAME completed");
      assertThat(c.command("t9", "RENAME MySpecial Outbox")).containsExactly("t9 OK RENAME completed");
      assertThat(c.command("t10", "DELETE Junk")).containsExactly("t10 OK DELETE completed");
      assertThat(c.command("t11", "LIST (SPECIAL-USE) \"\" \"*\""))
          .containsExactly(
              "* LIST (\\HasNoChildren \\Archive) \".\" \"Archive\"",
              "* LIST (\\HasNoChildren \\Drafts) \".\" \"Drafts\"",
              "* LIST (\\HasNoChildren \\Archive) \".\" \"Old Mail.Child\"",
              "* LIST (\\HasNoChildren \\Drafts \\Sent) \".\" \"Outbox\"",
              "* LIST (\\HasNoChildren \\Sent) \".\" \"Sent\"",
              "* LIST (\\HasNoChildren \\Trash) \".\" \"Trash\"",
              "t11 OK LIST completed");
    }

    // A restart: a new store on the same Maildirs; the deleted Junk stays deleted.
    server.close();
    server = AccessServer.imap(new MailStore(root, Clock.systemUTC(), "test.example"));
    try (ImapTestClient c = loggedIn()) {
      assertThat(c.command("r1", "LIST (SPECIAL-USE) \"\" \"*\""))
          .hasSize(7)
          .contains("* LIST (\\HasNoChildren \\Drafts \\Sent) \".\" \"Outbox\"")
          .contains("* LIST (\\HasNoChildren \\Archive) \".\" \"Old Mail.Child\"")
          .noneMatch(l -> l.contains("Junk"));
      assertThat(c.command("r2", "LIST \"\" Junk")).containsExactly("r2 OK LIST completed");
    }
  }
}
