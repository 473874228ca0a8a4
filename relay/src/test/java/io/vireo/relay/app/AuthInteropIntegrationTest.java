package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.mailbox.testing.ExternalTool;
import io.vireo.relay.auth.PasswordHashing;
import io.vireo.relay.auth.UsersFile;
import io.vireo.relay.testing.PemCertificate;
import io.vireo.relay.testing.PemCertificate.KeyFormat;
import io.vireo.relay.testing.PemCertificate.KeyType;
import io.vireo.relay.testing.RelayExtension;
import io.vireo.relay.testing.TestRelays;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clients authenticating against the real relay, which relays for no network: Python's
 * smtplib ({@code starttls()} then {@code login()}) and {@code swaks --tls --auth} with PLAIN and
 * LOGIN.
 */
class AuthInteropIntegrationTest {
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern QUEUED = Pattern.compile("queued as [0-9A-Z]{20}");

  @TempDir static Path shared;
  private static PemCertificate certificate;
  private static Path usersFile;

  @RegisterExtension final RelayExtension relays = new RelayExtension();
  private Relay relay;

  @BeforeAll
  static void makeCertificateAndUsers() throws Exception {
    certificate = PemCertificate.generate(shared, "relay.test", KeyType.EC, KeyFormat.PKCS8);
    usersFile = shared.resolve("users");
    UsersFile.empty()
        .with(
            "app@example.com",
            new PasswordHashing()
                .hash(PasswordHashing.octets("s3cret pass"), PasswordHashing.DEFAULT_COST))
        .write(usersFile);
  }

  @BeforeEach
  void start() throws Exception {
    String yaml =
        """
        hostname: relay.test
        listen:
          smtp: 127.0.0.1:0
          admin: 127.0.0.1:0
        spool:
          dir: "%s"
        relay:
          allow-networks: []
        tls:
          cert-file: "%s"
          key-file: "%s"
        auth:
          users-file: "%s"
        """
            .formatted(
                relays.dir().resolve("spool"),
                certificate.certFile(),
                certificate.keyFile(),
                usersFile)
        + TestRelays.PARKED_DELIVERY;
    relay = relays.startYaml(yaml);
  }

  @Test
  void pythonSmtplibLogsInAfterStartTlsAndMayThenRelay() throws Exception {
    Path python = ExternalTool.require("python3", "python3");
    String script =
        """
        import smtplib, ssl, sys
        context = ssl.create_default_context(cafile=sys.argv[2])
        context.check_hostname = False
        with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), local_hostname="py.test", timeout=30) as s:
            s.ehlo()
            assert not s.has_extn("auth"), "AUTH offered before TLS"
            s.mail("app@example.com")
            print("unauthenticated", s.rcpt("user@example.net"))
            s.rset()
            s.starttls(context=context)
            s.ehlo()
            print("auth", s.esmtp_features["auth"])
            try:
                s.login("app@example.com", "wrong")
            except smtplib.SMTPAuthenticationError as e:
                print("wrong", e.smtp_code, e.smtp_error.decode())
            print("login", s.login("app@example.com", "s3cret pass"))
            s.sendmail("app@example.com", ["user@example.net"], b"Subject: auth\\r\\n\\r\\nhi\\r\\n")
            print("sent")
        """;
    ProcessRunner.Result result =
        ProcessRunner.runScript(
            python,
            script,
            TOOL_TIMEOUT,
            String.valueOf(TestRelays.smtpPort(relay)),
            certificate.certFile().toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("unauthenticated (554, b'5.7.1 Relay access denied')")
        .containsPattern("auth +PLAIN LOGIN")
        .contains("wrong 535 5.7.8")
        .contains("login (235, b'2.7.0 Authentication successful')")
        .contains("sent");
    assertThat(relay.spool().pending()).hasSize(1);
  }

  @Test
  void swaksAuthenticatesWithPlainAndLoginOverTls() throws Exception {
    Path swaks = ExternalTool.require("swaks", "swaks");
    for (String mechanism : List.of("PLAIN", "LOGIN")) {
      ProcessRunner.Result result =
          ProcessRunner.run(
              List.of(
                  swaks.toString(),
                  "--server", "127.0.0.1:" + TestRelays.smtpPort(relay),
                  "--tls",
                  "--auth", mechanism,
                  "--auth-user", "app@example.com",
                  "--auth-password", "s3cret pass",
                  "--from", "app@example.com",
                  "--to", "user@example.net",
                  "--header", "Subject: swaks " + mechanism,
                  "--timeout", "30"),
              TOOL_TIMEOUT);
      assertThat(result.exitCode()).as(result.output()).isZero();
      assertThat(result.output()).contains("235 2.7.0 Authentication successful");
      assertThat(QUEUED.matcher(result.output()).find()).as(result.output()).isTrue();
    }
    ProcessRunner.Result refused =
        ProcessRunner.run(
            List.of(
                swaks.toString(),
                "--server", "127.0.0.1:" + TestRelays.smtpPort(relay),
                "--tls",
                "--auth", "PLAIN",
                "--auth-user", "app@example.com",
                "--auth-password", "not it",
                "--to", "user@example.net",
                "--timeout", "30"),
            TOOL_TIMEOUT);
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.output()).contains("535 5.7.8");
  }
}
