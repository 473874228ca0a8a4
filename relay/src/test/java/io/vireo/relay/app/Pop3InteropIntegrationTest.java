package io.vireo.relay.app;

import static io.vireo.relay.app.MailboxRelays.FIRST;
import static io.vireo.relay.app.MailboxRelays.PASSWORD;
import static io.vireo.relay.app.MailboxRelays.SECOND;
import static io.vireo.relay.app.MailboxRelays.USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigLoader;
import io.vireo.mailbox.testing.ExternalTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real POP3 clients against the real relay: Python's poplib ({@code stls()}, {@code user()},
 * {@code pass_()}), curl ({@code pop3://} with {@code --ssl-reqd}, and {@code pop3s://}) and
 * fetchmail handing every message to an MDA and deleting it. And POP3 beside IMAP on one mailbox
 * (poplib and imaplib in one script): an IMAP expunge while POP3 holds the maildrop, a POP3 QUIT
 * the selected IMAP session then sees as EXPUNGE, an IMAP APPEND the next POP3 session lists; a
 * fresh store reads the Maildir afterwards: nothing lost, nothing duplicated.
 */
class Pop3InteropIntegrationTest {
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(90);

  @TempDir Path dir;
  Relay relay;

  @TempDir static Path shared;
  static MailboxRelays.Credentials credentials;

  @BeforeAll
  static void certificateAndUsers() throws Exception {
    credentials = MailboxRelays.credentials(shared);
  }

  @BeforeEach
  void start() throws Exception {
    MailboxRelays.deliverTwo(dir);
    relay =
        Relay.start(
            ConfigLoader.parse(MailboxRelays.yaml(dir, credentials, ""), "pop3-interop.yaml"));
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  private int messagesLeft() throws Exception {
    return MailboxRelays.messagesLeft(dir);
  }

  @Test
  void pythonPoplibReadsAndDeletesAfterStls() throws Exception {
    Path python = ExternalTool.require("python3", "python3");
    String script =
        """
        import poplib, ssl, sys
        context = ssl.create_default_context(cafile=sys.argv[2])
        context.check_hostname = False
        p = poplib.POP3("127.0.0.1", int(sys.argv[1]), timeout=30)
        print("capa-before", sorted(p.capa()))
        p.stls(context=context)
        print("capa-after", sorted(p.capa()))
        p.user(sys.argv[3])
        print("login", p.pass_(sys.argv[4]))
        print("stat", p.stat())
        resp, lines, octets = p.retr(2)
        sys.stdout.write("body:" + "|".join(l.decode() for l in lines) + "\\n")
        print("uidl", p.uidl())
        print("dele", p.dele(1))
        print("quit", p.quit())
        """;
    ProcessRunner.Result result =
        ProcessRunner.runScript(
            python,
            script,
            TOOL_TIMEOUT,
            String.valueOf(MailboxRelays.pop3(relay).getPort()),
            credentials.certificate().certFile().toString(),
            USER,
            PASSWORD);
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output())
        .contains(
            "capa-before ['AUTH-RESP-CODE', 'IMPLEMENTATION', 'PIPELINING', 'RESP-CODES', 'STLS',"
                + " 'TOP', 'UIDL']")
        .contains(
            "capa-after ['AUTH-RESP-CODE', 'IMPLEMENTATION', 'PIPELINING', 'RESP-CODES', 'SASL',"
                + " 'TOP', 'UIDL', 'USER']")
        .contains("login b'+OK logged in, 2 messages")
        .contains("stat (2, " + (FIRST.length() + SECOND.length()) + ")")
        .contains("body:From: bob@example.net|To: alice@example.com|Subject: second||line one|.starts with a dot|.|last")
        .contains("quit b'+OK mail.test POP3 signing off'");
    assertThat(messagesLeft()).isEqualTo(1);
  }

  @Test
  void curlRetrievesOverStlsAndOverImplicitTls() throws Exception {
    int pop3 = MailboxRelays.pop3(relay).getPort();
    int pop3s = MailboxRelays.pop3s(relay).getPort();
    ProcessRunner.Result viaStls =
        curl(USER + ":" + PASSWORD, "--ssl-reqd", "pop3://127.0.0.1:" + pop3 + "/1");
    assertThat(viaStls.exitCode()).as(viaStls.output()).isZero();
    assertThat(viaStls.output()).isEqualTo(FIRST);
    ProcessRunner.Result implicit = curl(USER + ":" + PASSWORD, "pop3s://127.0.0.1:" + pop3s + "/");
    assertThat(implicit.exitCode()).as(implicit.output()).isZero();
    assertThat(implicit.output().lines().toList())
        .containsExactly("1 " + FIRST.length(), "2 " + SECOND.length());
    ProcessRunner.Result wrongPassword = curl(USER + ":nope", "pop3s://127.0.0.1:" + pop3s + "/1");
    assertThat(wrongPassword.exitCode()).isNotZero();
  }

  /** curl with the test certificate accepted ({@code --insecure}) and the given user. */
  private static ProcessRunner.Result curl(String user, String... arguments) throws Exception {
    Path curl = ExternalTool.require("curl", "curl");
    List<String> command = new java.util.ArrayList<>(List.of(curl.toString(), "--silent", "--show-error", "--insecure", "--max-time", "60", "--user", user));
    command.addAll(List.of(arguments));
    return ProcessRunner.run(command, TOOL_TIMEOUT);
  }

  @Test
  void fetchmailHandsEveryMessageToItsMdaAndDeletesThem() throws Exception {
    Path fetchmail = ExternalTool.require("fetchmail", "fetchmail");
    Path delivered = dir.resolve("delivered");
    Files.createDirectories(delivered);
    Path rc = dir.resolve("fetchmailrc");
    Files.writeString(
        rc,
        """
        set no syslog
        poll 127.0.0.1 protocol pop3 port %d auth password
          user "%s" password "%s" is localuser here
          sslproto "tls1.2+" no sslcertck
          mda "/bin/sh -c 'cat > %s/message-$$.eml'"
        """
            .formatted(
                MailboxRelays.pop3(relay).getPort(), USER, PASSWORD, delivered));
    Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));
    ProcessRunner.Result result =
        ProcessRunner.run(
            List.of(
                fetchmail.toString(),
                "--fetchmailrc",
                rc.toString(),
                "--pidfile",
                dir.resolve("fetchmail.pid").toString(),
                "--nodetach",
                "--verbose"),
            TOOL_TIMEOUT);
    assertThat(result.exitCode()).as(result.output()).isZero();
    try (var files = Files.list(delivered)) {
      List<String> contents =
          files
              .map(
                  f -> {
                    try {
                      return Files.readString(f);
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .toList();
      assertThat(contents).hasSize(2);
      assertThat(contents).anyMatch(c -> c.contains("Subject: first") && c.contains("hello"));
      assertThat(contents)
          .anyMatch(c -> c.contains("Subject: second") && c.contains("\n.starts with a dot"));
    }
    assertThat(messagesLeft()).isZero();
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
        ProcessRunner.runScript(
            python,
            script,
            TOOL_TIMEOUT,
            String.valueOf(MailboxRelays.imap(relay).getPort()),
            String.valueOf(MailboxRelays.pop3(relay).getPort()),
            credentials.certificate().certFile().toString(),
            USER,
            PASSWORD);
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
