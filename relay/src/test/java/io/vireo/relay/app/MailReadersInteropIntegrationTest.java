package io.vireo.relay.app;

import static io.vireo.relay.app.MailboxRelays.PASSWORD;
import static io.vireo.relay.app.MailboxRelays.USER;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigLoader;
import io.vireo.mailbox.testing.ExternalTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mail readers retrieve what came in through SMTP: two messages (8-bit UTF-8 body, an encoded-word
 * subject, a line with a leading dot) are sent over SMTP to a {@code local.domains} user, then read
 * back over the relay's own POP3 and IMAP listeners, after STLS/STARTTLS as {@code
 * auth.require-tls} wants, by mutt (driven non-interactively: a {@code folder-hook} pushes the
 * keys, {@code script} gives it the terminal it insists on) and by curl ({@code pop3://}, {@code
 * imap://}). What they read is compared with the octets local delivery wrote.
 */
class MailReadersInteropIntegrationTest {
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(90);
  private static final String FIRST =
      "From: Bob <bob@example.net>\r\nTo: alice@example.com\r\n"
          + "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\nMessage-ID: <first@example.net>\r\n"
          + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
          + "Content-Transfer-Encoding: 8bit\r\n\r\nGr\u00fc\u00dfe aus Vireo\r\n"
          + ".a line with a leading dot\r\n";
  private static final String SECOND =
      "From: Carol <carol@example.net>\r\nTo: alice@example.com\r\nSubject: second\r\n"
          + "Message-ID: <second@example.net>\r\n\r\nthe second message\r\n";

  @TempDir Path dir;
  private Relay relay;
  private List<String> delivered;

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
                MailboxRelays.yaml(dir, credentials, SmtpIntoMailbox.LOCAL), "readers.yaml"));
    delivered = new ArrayList<>();
    for (byte[] message : SmtpIntoMailbox.deliver(relay, dir, FIRST, SECOND)) {
      delivered.add(new String(message, UTF_8));
    }
    assertThat(delivered.get(0)).endsWith(FIRST);
    assertThat(delivered.get(1)).endsWith(SECOND);
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  @Test
  void muttReadsAndDeletesOverPop3ThenReadsAndSavesToANewFolderOverImap() throws Exception {
    Path popped = dir.resolve("popped.eml");
    ProcessRunner.Result pop =
        mutt(
            "pop://127.0.0.1:" + MailboxRelays.pop3(relay).getPort() + "/",
            "<pipe-message>cat > " + popped + "<enter><delete-message><quit>");
    assertThat(pop.exitCode()).as(pop.output()).isZero();
    // mutt keeps messages with Unix line ends; it pipes them as read, headers and body undecoded.
    assertThat(Files.readString(popped, UTF_8))
        .as(pop.output())
        .isEqualTo(delivered.get(0).replace("\r\n", "\n"));
    assertThat(MailboxRelays.messagesLeft(dir)).isEqualTo(1);

    Path read = dir.resolve("imap.eml");
    ProcessRunner.Result imap =
        mutt(
            "imap://127.0.0.1:" + MailboxRelays.imap(relay).getPort() + "/INBOX",
            "<pipe-message>cat > " + read + "<enter><save-message><kill-line>=Projects<enter><quit>");
    assertThat(imap.exitCode()).as(imap.output()).isZero();
    assertThat(Files.readString(read, UTF_8))
        .as(imap.output())
        .isEqualTo(delivered.get(1).replace("\r\n", "\n"));
    // Saving copied the message into the folder mutt created and expunged it from INBOX at quit.
    assertThat(MailboxRelays.messagesLeft(dir)).isZero();
    Path archive = Maildirs.of(dir.resolve("mailboxes"), USER).resolve(".Projects");
    List<Path> archived = Maildirs.files(archive, "new", "cur");
    assertThat(archived).hasSize(1);
    assertThat(Files.readString(archived.getFirst(), UTF_8)).isEqualTo(delivered.get(1));
  }

  /**
   * mutt on {@code mailbox}, typing {@code keys} once it is open, in a pseudo-terminal: TLS is
   * required ({@code ssl_force_tls}, STARTTLS/STLS on the plain port) and the test certificate is
   * the only trusted one.
   */
  private ProcessRunner.Result mutt(String mailbox, String keys) throws Exception {
    Path mutt = ExternalTool.require("mutt", "mutt");
    Path script = ExternalTool.require("script", "bsdutils");
    Path muttrc = dir.resolve("muttrc");
    Files.writeString(
        muttrc,
        """
        set imap_user="%1$s"
        set imap_pass="%2$s"
        set pop_user="%1$s"
        set pop_pass="%2$s"
        set ssl_starttls=yes
        set ssl_force_tls=yes
        set ssl_ca_certificates_file="%3$s"
        set certificate_file="%4$s"
        set folder="imap://127.0.0.1:%5$d/"
        set tmpdir="%6$s"
        set header_cache=""
        set message_cachedir=""
        set mail_check=0
        set wait_key=no
        set pipe_decode=no
        set delete=yes
        set confirmcreate=no
        set move=no
        set quit=yes
        folder-hook . 'push "%7$s"'
        """
            .formatted(
                USER,
                PASSWORD,
                credentials.certificate().certFile(),
                dir.resolve("mutt-certificates"),
                MailboxRelays.imap(relay).getPort(),
                dir,
                keys));
    String command = "env TERM=xterm " + mutt + " -n -F " + muttrc + " -f " + mailbox;
    return ProcessRunner.run(
        List.of(script.toString(), "--quiet", "--return", "--command", command, "/dev/null"),
        TOOL_TIMEOUT);
  }

  @Test
  void curlRetrievesOverPop3AndImapAfterStartTls() throws Exception {
    int pop3 = MailboxRelays.pop3(relay).getPort();
    int imap = MailboxRelays.imap(relay).getPort();
    ProcessRunner.Result list = curl("pop3://127.0.0.1:" + pop3 + "/");
    assertThat(list.exitCode()).as(list.output()).isZero();
    assertThat(list.output().lines().toList())
        .containsExactly(
            "1 " + delivered.get(0).getBytes(UTF_8).length,
            "2 " + delivered.get(1).getBytes(UTF_8).length);
    ProcessRunner.Result retr = curl("pop3://127.0.0.1:" + pop3 + "/1");
    assertThat(retr.exitCode()).as(retr.output()).isZero();
    assertThat(retr.output()).isEqualTo(delivered.get(0));

    ProcessRunner.Result byUid = curl("imap://127.0.0.1:" + imap + "/INBOX;UID=1");
    assertThat(byUid.exitCode()).as(byUid.output()).isZero();
    assertThat(byUid.output()).isEqualTo(delivered.get(0));
    ProcessRunner.Result byNumber = curl("imap://127.0.0.1:" + imap + "/INBOX;MAILINDEX=2");
    assertThat(byNumber.exitCode()).as(byNumber.output()).isZero();
    assertThat(byNumber.output()).isEqualTo(delivered.get(1));
    ProcessRunner.Result search = curl("imap://127.0.0.1:" + imap + "/INBOX?SUBJECT%20second");
    assertThat(search.exitCode()).as(search.output()).isZero();
    assertThat(search.output()).isEqualTo("* SEARCH 2\r\n");
    // Reading removed nothing.
    assertThat(MailboxRelays.messagesLeft(dir)).isEqualTo(2);
  }

  /** curl as {@link MailboxRelays#USER}, TLS required, trusting the test certificate. */
  private ProcessRunner.Result curl(String url) throws Exception {
    Path curl = ExternalTool.require("curl", "curl");
    return ProcessRunner.run(
        List.of(
            curl.toString(),
            "--silent",
            "--show-error",
            "--ssl-reqd",
            "--cacert",
            credentials.certificate().certFile().toString(),
            "--max-time",
            "60",
            "--user",
            USER + ":" + PASSWORD,
            url),
        TOOL_TIMEOUT);
  }
}
