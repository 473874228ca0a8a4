package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.ExternalTool;
import io.vireo.relay.testing.RelayExtension;
import io.vireo.relay.testing.TestRelays;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capture mode end to end: a staging app (Python's smtplib) sends a MIME message with an
 * attachment to several recipients; a {@code via: capture} route keeps it in one mailbox, and each
 * copy is the message byte for byte as it would have been sent (Vireo's {@code Received:} on top),
 * below {@code Return-Path:} and {@code X-Original-To:}.
 */
class CaptureIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  @RegisterExtension final RelayExtension relays = new RelayExtension();

  @Test
  void anAppsMessageIsCapturedUnchangedBelowTheEnvelopeHeaders() throws Exception {
    Path python = ExternalTool.require("python3", "python3");
    Path mailboxes = dir.resolve("mailboxes");
    String delivery =
        """
        delivery:
          routes:
            - { domains: ["*"], via: capture, mailbox: staging }
        mailbox:
          dir: "%s"
        """
            .formatted(mailboxes);
    try (Relay relay = relays.start(delivery, "")) {
      Path sent = dir.resolve("sent.eml");
      String script =
          """
          import smtplib, sys
          from email import policy
          from email.message import EmailMessage
          m = EmailMessage()
          m["From"] = "Staging App <app@staging.example>"
          m["To"] = "customer@example.net, other@example.org"
          m["Subject"] = "Your order \\u2116 42"
          m["Message-ID"] = "<order-42@staging.example>"
          m.set_content("Hello,\\n.leading dot\\nThanks \\u2603\\n")
          m.add_alternative("<p>Hello</p>", subtype="html")
          m.add_attachment(bytes(range(256)), maintype="application", subtype="octet-stream",
                           filename="invoice.bin")
          data = m.as_bytes(policy=policy.SMTP)
          open(sys.argv[2], "wb").write(data)
          with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=30) as s:
              s.sendmail("bounces@staging.example",
                         ["customer@example.net", "other@example.org"], data)
          """;
      ProcessRunner.Result result =
          ProcessRunner.runScript(
              python,
              script,
              WAIT,
              String.valueOf(TestRelays.smtpPort(relay)),
              sent.toString());
      assertThat(result.exitCode()).as(result.output()).isZero();
      String original = Files.readString(sent, StandardCharsets.UTF_8);
      assertThat(original).contains("multipart/mixed").contains("invoice.bin");

      Await.until(
          "two captured copies", WAIT, () -> Maildirs.messages(mailboxes, "staging").size() == 2);
      List<String> copies = Maildirs.messages(mailboxes, "staging");
      for (String recipient : List.of("customer@example.net", "other@example.org")) {
        String prefix =
            "Return-Path: <bounces@staging.example>\r\nX-Original-To: " + recipient + "\r\n";
        String copy =
            copies.stream().filter(c -> c.startsWith(prefix)).findFirst().orElseThrow();
        String afterEnvelope = copy.substring(prefix.length());
        assertThat(afterEnvelope).startsWith("Received: from ");
        assertThat(Maildirs.withoutFirstField(afterEnvelope)).isEqualTo(original);
      }
      Await.until(
          "both captures counted", WAIT, () -> relay.delivery().stats().delivered() == 2);
      assertThat(relay.delivery().stats().connectionsOpened()).isZero();
    }
  }
}
