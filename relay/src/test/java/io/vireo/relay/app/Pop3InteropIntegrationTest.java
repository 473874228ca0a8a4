package io.vireo.relay.app;

import static io.vireo.relay.app.MailboxRelays.FIRST;
import static io.vireo.relay.app.MailboxRelays.PASSWORD;
import static io.vireo.relay.app.MailboxRelays.SECOND;
import static io.vireo.relay.app.MailboxRelays.USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigLoader;
import io.vireo.relay.testing.ExternalTool;
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
 * fetchmail handing every message to an MDA and deleting it.
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
        ProcessRunner.run(
            List.of(
                python.toString(),
                "-c",
                script,
                String.valueOf(MailboxRelays.pop3(relay).getPort()),
                credentials.certificate().certFile().toString(),
                USER,
                PASSWORD),
            TOOL_TIMEOUT);
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
    Path curl = ExternalTool.require("curl", "curl");
    ProcessRunner.Result viaStls =
        ProcessRunner.run(
            List.of(
                curl.toString(),
                "--silent",
                "--show-error",
                "--ssl-reqd",
                "--insecure",
                "--max-time",
                "60",
                "--user",
                USER + ":" + PASSWORD,
                "pop3://127.0.0.1:" + MailboxRelays.pop3(relay).getPort() + "/1"),
            TOOL_TIMEOUT);
    assertThat(viaStls.exitCode()).as(viaStls.output()).isZero();
    assertThat(viaStls.output()).isEqualTo(FIRST);
    ProcessRunner.Result implicit =
        ProcessRunner.run(
            List.of(
                curl.toString(),
                "--silent",
                "--show-error",
                "--insecure",
                "--max-time",
                "60",
                "--user",
                USER + ":" + PASSWORD,
                "pop3s://127.0.0.1:" + MailboxRelays.pop3s(relay).getPort() + "/"),
            TOOL_TIMEOUT);
    assertThat(implicit.exitCode()).as(implicit.output()).isZero();
    assertThat(implicit.output().lines().toList())
        .containsExactly("1 " + FIRST.length(), "2 " + SECOND.length());
    ProcessRunner.Result wrongPassword =
        ProcessRunner.run(
            List.of(
                curl.toString(),
                "--silent",
                "--show-error",
                "--insecure",
                "--max-time",
                "60",
                "--user",
                USER + ":nope",
                "pop3s://127.0.0.1:" + MailboxRelays.pop3s(relay).getPort() + "/1"),
            TOOL_TIMEOUT);
    assertThat(wrongPassword.exitCode()).isNotZero();
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
}
