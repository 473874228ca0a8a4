package io.vireo.relay.app;

import static io.vireo.relay.app.MailboxRelays.PASSWORD;
import static io.vireo.relay.app.MailboxRelays.USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigLoader;
import io.vireo.relay.testing.ExternalTool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POP3 and IMAP on one mailbox, both on the relay's listener, driven by Python's poplib and
 * imaplib in one script: an IMAP expunge while POP3 holds the maildrop, a POP3 QUIT that the
 * selected IMAP session then sees as EXPUNGE, an IMAP APPEND that the next POP3 session lists. The
 * Maildir is read again afterwards by a fresh store: nothing lost, nothing duplicated.
 */
class MailAccessIntegrationTest {
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(90);

  @TempDir static Path shared;
  static MailboxRelays.Credentials credentials;

  @TempDir Path dir;
  Relay relay;

  @BeforeAll
  static void certificateAndUsers() throws Exception {
    credentials = MailboxRelays.credentials(shared);
  }

  @BeforeEach
  void start() throws Exception {
    MailboxRelays.deliverTwo(dir);
    relay =
        Relay.start(ConfigLoader.parse(MailboxRelays.yaml(dir, credentials, ""), "access.yaml"));
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  @Test
  void pop3AndImapOnOneMailboxDoNotCorruptIt() throws Exception {
    Path python = ExternalTool.require("python3", "python3");
    String script =
        """
        import imaplib, poplib, ssl, sys
        imap_port, pop_port, cafile, user, password = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
        context = ssl.create_default_context(cafile=cafile)
        context.check_hostname = False
        def pop():
            p = poplib.POP3("127.0.0.1", pop_port, timeout=30)
            p.stls(context=context)
            p.user(user)
            p.pass_(password)
            return p
        i = imaplib.IMAP4("127.0.0.1", imap_port, timeout=30)
        i.starttls(ssl_context=context)
        i.login(user, password)
        print("select", i.select("INBOX"))
        p = pop()
        print("pop-stat", p.stat())
        i.store("2", "+FLAGS", "\\\\Deleted")
        print("imap-expunge", i.expunge())
        try:
            p.retr(2)
            print("retr2 served")
        except poplib.error_proto as e:
            print("retr2", e)
        print("dele1", p.dele(1))
        print("pop-quit", p.quit())
        print("noop", i.noop(), i.response("EXPUNGE"))
        print("append", i.append("INBOX", None, None, b"From: c@example.net\\r\\nSubject: appended\\r\\n\\r\\nnew\\r\\n"))
        print("search", i.search(None, "ALL"))
        i.logout()
        p = pop()
        print("pop-stat-2", p.stat())
        resp, lines, octets = p.retr(1)
        print("retr1", [l.decode() for l in lines])
        print("uidl", p.uidl())
        p.quit()
        """;
    ProcessRunner.Result result =
        ProcessRunner.run(
            List.of(
                python.toString(),
                "-c",
                script,
                String.valueOf(MailboxRelays.imap(relay).getPort()),
                String.valueOf(MailboxRelays.pop3(relay).getPort()),
                credentials.certificate().certFile().toString(),
                USER,
                PASSWORD),
            TOOL_TIMEOUT);
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("select ('OK', [b'2'])")
        .contains("pop-stat (2, ")
        .contains("retr2 b'-ERR message was removed by another client'")
        .contains("pop-quit b'+OK mail.test POP3 signing off'")
        .contains("search ('OK', [b'1'])")
        .contains("pop-stat-2 (1, ")
        .contains("retr1 ['From: c@example.net', 'Subject: appended', '', 'new']");
    assertThat(result.output()).containsPattern("noop \\('OK', .*\\) \\('EXPUNGE', \\[b'1'\\]\\)");
    assertThat(MailboxRelays.messagesLeft(dir)).isEqualTo(1);
  }
}
