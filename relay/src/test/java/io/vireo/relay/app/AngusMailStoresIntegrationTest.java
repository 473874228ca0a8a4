package io.vireo.relay.app;

import static io.vireo.relay.app.MailboxRelays.PASSWORD;
import static io.vireo.relay.app.MailboxRelays.USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigLoader;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.pop3.POP3Folder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Angus Mail's IMAP and POP3 stores (the Jakarta Mail providers Java applications use) read mail
 * that came in through SMTP to a {@code local.domains} user, over the relay's listeners after
 * STARTTLS/STLS (required, the test certificate trusted, the server's identity checked): message
 * count, decoded subject, content (a text message and a multipart one), flags, UIDs, deletion, and
 * over IMAP a folder created and a message copied into it.
 */
class AngusMailStoresIntegrationTest {
  private static final String TEXT =
      "From: Bob <bob@example.net>\r\nTo: alice@example.com\r\n"
          + "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_Vireo?=\r\nMessage-ID: <text@example.net>\r\n"
          + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
          + "Content-Transfer-Encoding: 8bit\r\n\r\nGr\u00fc\u00dfe!\r\n.leading dot\r\n";
  private static final String MULTIPART =
      "From: Carol <carol@example.net>\r\nTo: alice@example.com\r\nSubject: report\r\n"
          + "Message-ID: <multi@example.net>\r\nMIME-Version: 1.0\r\n"
          + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
          + "--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nsee attached\r\n"
          + "--b1\r\nContent-Type: application/octet-stream; name=\"data.bin\"\r\n"
          + "Content-Disposition: attachment; filename=\"data.bin\"\r\n"
          + "Content-Transfer-Encoding: base64\r\n\r\nAAECAwQ=\r\n--b1--\r\n";

  @TempDir Path dir;
  private Relay relay;
  private List<byte[]> delivered;

  @TempDir static Path shared;
  static MailboxRelays.Credentials credentials;

  @BeforeAll
  static void certificateAndUsers() throws Exception {
    credentials = MailboxRelays.credentials(shared);
  }

  @BeforeEach
  void start() throws Exception {
    relay =
        Relay.start(
            ConfigLoader.parse(
                MailboxRelays.yaml(dir, credentials, SmtpIntoMailbox.LOCAL), "angus.yaml"));
    delivered = SmtpIntoMailbox.deliver(relay, dir, TEXT, MULTIPART);
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  /** A session for {@code protocol} on {@code port}: STARTTLS/STLS required, bounded timeouts. */
  private Session session(String protocol, int port) throws Exception {
    String prefix = "mail." + protocol + ".";
    Properties properties = new Properties();
    properties.put(prefix + "host", "127.0.0.1");
    properties.put(prefix + "port", String.valueOf(port));
    properties.put(prefix + "starttls.enable", "true");
    properties.put(prefix + "starttls.required", "true");
    properties.put(
        prefix + "ssl.socketFactory",
        credentials.certificate().trustingClientContext().getSocketFactory());
    properties.put(prefix + "ssl.checkserveridentity", "true");
    properties.put(prefix + "connectiontimeout", "30000");
    properties.put(prefix + "timeout", "30000");
    return Session.getInstance(properties);
  }

  @Test
  void imapStoreReadsFlagsCopiesIntoANewFolderAndDeletes() throws Exception {
    Store store = session("imap", MailboxRelays.imap(relay).getPort()).getStore("imap");
    store.connect(USER, PASSWORD);
    try {
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_WRITE);
      assertThat(inbox.getMessageCount()).isEqualTo(2);
      assertThat(inbox.getUnreadMessageCount()).isEqualTo(2);
      Message text = inbox.getMessage(1);
      Message multipart = inbox.getMessage(2);
      assertThat(((UIDFolder) inbox).getUID(text)).isEqualTo(1);
      assertThat(((UIDFolder) inbox).getUID(multipart)).isEqualTo(2);
      assertThat(text.getSubject()).isEqualTo("Gr\u00fc\u00dfe aus Vireo");
      assertThat(text.getFrom()[0].toString()).isEqualTo("Bob <bob@example.net>");
      assertThat(text.getSize()).isEqualTo(delivered.get(0).length);
      assertThat(text.isSet(Flags.Flag.SEEN)).isFalse();
      assertThat(text.getContent()).isEqualTo("Gr\u00fc\u00dfe!\r\n.leading dot\r\n");
      // Reading the content (BODY[], not PEEK) set \Seen on the server.
      assertThat(text.isSet(Flags.Flag.SEEN)).isTrue();
      assertThat(raw(multipart)).isEqualTo(delivered.get(1));
      Multipart parts = (Multipart) multipart.getContent();
      assertThat(parts.getCount()).isEqualTo(2);
      // The CRLF before a boundary belongs to the boundary (RFC 2046 section 5.1.1).
      assertThat(parts.getBodyPart(0).getContent()).isEqualTo("see attached");
      assertThat(parts.getBodyPart(1).getFileName()).isEqualTo("data.bin");
      assertThat(parts.getBodyPart(1).getInputStream().readAllBytes())
          .containsExactly(0, 1, 2, 3, 4);
      multipart.setFlag(Flags.Flag.FLAGGED, true);

      Folder archive = store.getFolder("Projects");
      assertThat(archive.exists()).isFalse();
      assertThat(archive.create(Folder.HOLDS_MESSAGES)).isTrue();
      inbox.copyMessages(new Message[] {multipart}, archive);
      text.setFlag(Flags.Flag.DELETED, true);
      inbox.close(true);

      inbox.open(Folder.READ_ONLY);
      assertThat(inbox.getMessageCount()).isEqualTo(1);
      assertThat(inbox.getMessage(1).getSubject()).isEqualTo("report");
      assertThat(inbox.getMessage(1).isSet(Flags.Flag.FLAGGED)).isTrue();
      inbox.close(false);
      archive.open(Folder.READ_ONLY);
      assertThat(archive.getMessageCount()).isEqualTo(1);
      Message copy = archive.getMessage(1);
      assertThat(raw(copy)).isEqualTo(delivered.get(1));
      assertThat(copy.isSet(Flags.Flag.FLAGGED)).isTrue();
      archive.close(false);
      assertThat(store.getDefaultFolder().list("*"))
          .extracting(Folder::getFullName)
          .containsExactlyInAnyOrder("INBOX", "Archive", "Drafts", "Junk", "Projects", "Sent", "Trash");
    } finally {
      store.close();
    }
    assertThat(MailboxRelays.messagesLeft(dir)).isEqualTo(1);
    Path archived = Maildirs.of(dir.resolve("mailboxes"), USER).resolve(".Projects");
    assertThat(Maildirs.files(archived, "new", "cur"))
        .singleElement()
        .satisfies(f -> assertThat(Files.readAllBytes(f)).isEqualTo(delivered.get(1)));
  }

  @Test
  void pop3StoreReadsUidsAndDeletesAtQuit() throws Exception {
    Store store = session("pop3", MailboxRelays.pop3(relay).getPort()).getStore("pop3");
    store.connect(USER, PASSWORD);
    String firstUid;
    try {
      POP3Folder inbox = (POP3Folder) store.getFolder("INBOX");
      inbox.open(Folder.READ_WRITE);
      assertThat(inbox.getMessageCount()).isEqualTo(2);
      Message text = inbox.getMessage(1);
      Message multipart = inbox.getMessage(2);
      firstUid = inbox.getUID(text);
      // UIDL: the IMAP UID, then UIDVALIDITY (Dovecot's default %08Xu%08Xv).
      assertThat(firstUid).matches("00000001[0-9A-F]{8}");
      assertThat(inbox.getUID(multipart)).isEqualTo("00000002" + firstUid.substring(8));
      // LIST's sizes (a POP3Message's getSize() is its body's size once the header is read).
      assertThat(inbox.getSizes())
          .containsExactly(delivered.get(0).length, delivered.get(1).length);
      assertThat(text.getSubject()).isEqualTo("Gr\u00fc\u00dfe aus Vireo");
      assertThat(text.getContent()).isEqualTo("Gr\u00fc\u00dfe!\r\n.leading dot\r\n");
      assertThat(raw(multipart)).isEqualTo(delivered.get(1));
      assertThat(((Multipart) multipart.getContent()).getBodyPart(1).getFileName())
          .isEqualTo("data.bin");
      // POP3 keeps no flags but the deletion mark (Angus' POP3Message: no \Seen, no \Recent).
      assertThat(text.getFlags().getSystemFlags()).isEmpty();
      text.setFlag(Flags.Flag.DELETED, true);
      assertThat(text.isSet(Flags.Flag.DELETED)).isTrue();
      inbox.close(true);
    } finally {
      store.close();
    }
    assertThat(MailboxRelays.messagesLeft(dir)).isEqualTo(1);

    Store again = session("pop3", MailboxRelays.pop3(relay).getPort()).getStore("pop3");
    again.connect(USER, PASSWORD);
    try {
      POP3Folder inbox = (POP3Folder) again.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      assertThat(inbox.getMessageCount()).isEqualTo(1);
      assertThat(inbox.getMessage(1).getSubject()).isEqualTo("report");
      assertThat(inbox.getUID(inbox.getMessage(1))).isNotEqualTo(firstUid);
      inbox.close(false);
    } finally {
      again.close();
    }
  }

  /** The message's octets as the server sent them (headers and body, no decoding). */
  private static byte[] raw(Message message) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    message.writeTo(out);
    return out.toByteArray();
  }
}
