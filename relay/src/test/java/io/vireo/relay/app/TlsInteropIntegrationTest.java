package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.mailbox.testing.ExternalTool;
import io.vireo.queue.MessageId;
import io.vireo.relay.testing.PemCertificate;
import io.vireo.relay.testing.PemCertificate.KeyFormat;
import io.vireo.relay.testing.PemCertificate.KeyType;
import io.vireo.relay.testing.RelayExtension;
import io.vireo.relay.testing.TestRelays;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real TLS clients against the real relay: Python's smtplib ({@code starttls()} and {@code
 * SMTP_SSL}), {@code openssl s_client -starttls smtp} and {@code swaks --tls}. The relay presents
 * an RSA certificate in the traditional PEM format, so the other key type and format than the
 * dialogue tests is exercised end to end.
 */
class TlsInteropIntegrationTest {
  private static final Pattern QUEUED = Pattern.compile("queued as ([0-9A-Z]{20})");
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);

  @TempDir static Path certificates;
  private static PemCertificate certificate;

  @TempDir Path dir;
  @RegisterExtension final RelayExtension relays = new RelayExtension();
  private Relay relay;

  @BeforeAll
  static void makeCertificate() throws Exception {
    certificate =
        PemCertificate.generate(certificates, "relay.test", KeyType.RSA, KeyFormat.TRADITIONAL);
  }

  @BeforeEach
  void start() throws Exception {
    String yaml =
        """
        hostname: relay.test
        listen:
          smtp: 127.0.0.1:0
          smtps: 127.0.0.1:0
          admin: 127.0.0.1:0
        spool:
          dir: "%s"
        tls:
          cert-file: "%s"
          key-file: "%s"
        """
            .formatted(
                relays.dir().resolve("spool"), certificate.certFile(), certificate.keyFile())
        + TestRelays.PARKED_DELIVERY;
    relay = relays.startYaml(yaml);
  }

  private int smtpPort() {
    return relay.smtpAddresses().getFirst().getPort();
  }

  private int smtpsPort() {
    return relay.smtpsAddresses().getFirst().getPort();
  }

  private String storedContent(String toolOutput) {
    Matcher matcher = QUEUED.matcher(toolOutput);
    assertThat(matcher.find()).as("a queued id in:\n%s", toolOutput).isTrue();
    MessageId id = new MessageId(matcher.group(1));
    return new String(
        relay.spool().read(id).orElseThrow().content().toByteArray(), StandardCharsets.UTF_8);
  }

  @Test
  void pythonSmtplibStartTlsAndSmtpSsl() throws Exception {
    Path python = ExternalTool.require("python3", "python3");
    String script =
        """
        import smtplib, ssl, sys
        context = ssl.create_default_context(cafile=sys.argv[3])
        context.check_hostname = False  # the certificate names relay.test; we connect to 127.0.0.1
        with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), local_hostname="py.test", timeout=30) as s:
            s.ehlo()
            assert s.has_extn("starttls"), s.esmtp_features
            print("starttls", s.starttls(context=context)[0])
            s.ehlo()
            assert not s.has_extn("starttls")
            print("version", s.sock.version())
            s.sendmail("py@example.com", ["a@example.net"], b"Subject: starttls\\r\\n\\r\\nhi\\r\\n")
            print(s.noop())
            print("sent1", s.rset())
        with smtplib.SMTP_SSL("127.0.0.1", int(sys.argv[2]), local_hostname="py.test",
                              timeout=30, context=context) as s:
            code, reply = s.ehlo()
            assert not s.has_extn("starttls")
            s.mail("py@example.com")
            s.rcpt("b@example.net")
            code, reply = s.data(b"Subject: implicit\\r\\n\\r\\nhi\\r\\n")
            print("smtps", code, reply.decode())
        """;
    ProcessRunner.Result result =
        ProcessRunner.runScript(
            python,
            script,
            TOOL_TIMEOUT,
            String.valueOf(smtpPort()),
            String.valueOf(smtpsPort()),
            certificate.certFile().toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("starttls 220").contains("version TLSv1.3");
    String implicit = storedContent(result.output());
    assertThat(implicit)
        .contains("Subject: implicit")
        .contains("(using TLSv1.3 with cipher TLS_")
        .contains("with ESMTPS id");
    assertThat(relay.spool().find(new MessageId(findId(implicit))).orElseThrow().recipients())
        .hasSize(1);
  }

  @Test
  void opensslStartTlsSendsAMessage() throws Exception {
    Path openssl = ExternalTool.require("openssl", "openssl");
    Path input = dir.resolve("dialogue.txt");
    Files.writeString(
        input,
        """
        EHLO openssl.test
        MAIL FROM:<o@example.com>
        RCPT TO:<p@example.net>
        DATA
        Subject: from openssl

        over STARTTLS
        .
        QUIT
        """);
    ProcessRunner.Result result =
        ProcessRunner.run(
            List.of(
                openssl.toString(),
                "s_client",
                "-starttls",
                "smtp",
                "-connect",
                "127.0.0.1:" + smtpPort(),
                "-name",
                "openssl.test",
                "-CAfile",
                certificate.certFile().toString(),
                "-crlf",
                "-ign_eof"),
            TOOL_TIMEOUT,
            input);

    assertThat(result.output())
        .contains("Verify return code: 0 (ok)")
        .contains("TLSv1.3")
        .contains("250-relay.test")
        .doesNotContain("250-STARTTLS")
        .contains("221 2.0.0");
    assertThat(storedContent(result.output()))
        .contains("Subject: from openssl")
        .contains("(using TLSv1.3 with cipher");
  }

  @Test
  void swaksOverStartTlsAndImplicitTls() throws Exception {
    Path swaks = ExternalTool.require("swaks", "swaks");
    for (List<String> mode : List.of(
        List.of("--tls", "--server", "127.0.0.1:" + smtpPort()),
        List.of("--tls-on-connect", "--server", "127.0.0.1:" + smtpsPort()))) {
      List<String> command =
          new java.util.ArrayList<>(
              List.of(
                  swaks.toString(),
                  "--helo", "swaks.test",
                  "--from", "s@example.com",
                  "--to", "t@example.net",
                  "--header", "Subject: swaks " + mode.getFirst(),
                  "--timeout", "30"));
      command.addAll(mode);
      ProcessRunner.Result result = ProcessRunner.run(command, TOOL_TIMEOUT);
      assertThat(result.exitCode()).as(result.output()).isZero();
      assertThat(storedContent(result.output()))
          .contains("Subject: swaks " + mode.getFirst())
          .contains("with cipher")
          .contains("with ESMTPS id");
    }
  }

  private static String findId(String content) {
    Matcher matcher = Pattern.compile(" id ([0-9A-Z]{20})").matcher(content);
    assertThat(matcher.find()).isTrue();
    return matcher.group(1);
  }
}
