package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.mailbox.testing.ExternalTool;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.RelayExtension;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capture mode end to end: a staging app (Python's smtplib) sends a MIME message with an
 * attachment to several recipients; a {@code via: capture} route keeps it in one mailbox, and each
 * copy is the message byte for byte as it would have been sent (Vireo's {@code Received:} on top),
 * below {@code Return-Path:} and {@code X-Original-To:}. Then the same read the way an app team
 * reads it: over the relay's IMAP listener, {@code BODY.PEEK[]} and {@code RFC822}, octet for octet.
 */
class CaptureIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Pattern QUEUED = Pattern.compile("queued as ([0-9A-Z]{20})");
  /** The date closing Vireo's {@code Received:} (the one part of the copy the test cannot know). */
  private static final Pattern RECEIVED_DATE = Pattern.compile(
      "\r\nReceived: [^\t]*\t[^\t]*\t([A-Z][a-z]{2}, \\d{1,2} [A-Z][a-z]{2} \\d{4}"
          + " \\d{2}:\\d{2}:\\d{2} [+-]\\d{4})\r\n");

  @TempDir Path dir;
  @RegisterExtension final RelayExtension relays = new RelayExtension();

  /** Every recipient captured into user staging's Maildir under {@code mailboxes}. */
  private static String captureToStaging(Path mailboxes) {
    return """
        delivery:
          routes:
            - { domains: ["*"], via: capture, mailbox: staging }
        mailbox:
          dir: "%s"
        """
        .formatted(mailboxes);
  }

  @Test
  void aSuspendedCaptureDestinationCapturesOnceResumed() throws Exception {
    Path mailboxes = dir.resolve("mailboxes");
    try (Relay relay = relays.start(captureToStaging(mailboxes), "")) {
      assertThat(relay.delivery().suspend("capture:staging")).isTrue();
      try (SmtpTestClient client = SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
        client.ehlo("app.test");
        client.sendMessage(
            "app@staging.example", List.of("customer@example.net"), "Subject: held\r\n\r\nhi\r\n");
      }
      Await.until(
          "the message queued for the suspended destination",
          WAIT,
          () ->
              relay.delivery().stats().queues().stream()
                  .anyMatch(q -> q.destination().equals("capture:staging") && q.queued() == 1));
      assertThat(Maildirs.messages(mailboxes, "staging")).isEmpty();

      // Resuming starts the destination's own kind of worker (a mailbox worker, not an SMTP one).
      assertThat(relay.delivery().resume("capture:staging")).isTrue();
      Await.until(
          "the message captured after the resume",
          WAIT,
          () -> Maildirs.messages(mailboxes, "staging").size() == 1);
    }
  }

  @Test
  void anAppsMessageIsCapturedUnchangedBelowTheEnvelopeHeaders() throws Exception {
    Path python = ExternalTool.require("python3", "python3");
    Path mailboxes = dir.resolve("mailboxes");
    try (Relay relay = relays.start(captureToStaging(mailboxes), "")) {
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

  @Test
  void aCapturedMessageIsReadBackOverImapOctetForOctet() throws Exception {
    Path python = ExternalTool.require("python3", "python3");
    MailboxRelays.Credentials credentials = MailboxRelays.credentials(dir);
    String delivery =
        """
        delivery:
          routes:
            - { domains: ["*"], via: capture, mailbox: "%s" }
        """
            .formatted(MailboxRelays.USER);
    Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    try (Relay relay =
        relays.startYaml(MailboxRelays.yaml(dir, credentials, delivery, ""))) {
      Path sent = dir.resolve("sent.eml");
      // SMTPUTF8 so a header may carry UTF-8 as it is; an 8-bit text part beside HTML and a
      // binary attachment (base64).
      String send =
          """
          import smtplib, sys
          from email import policy
          from email.message import EmailMessage
          m = EmailMessage(policy=policy.SMTPUTF8)
          m["From"] = "J\\u00fcrgens Shop <app@staging.example>"
          m["To"] = "customer@example.net, other@example.org"
          m["Subject"] = "Ihre Bestellung \\u2116 42 \\u2013 Gr\\u00fc\\u00dfe"
          m["Message-ID"] = "<order-42@staging.example>"
          m.set_content("Hallo,\\n.Punkt am Anfang\\nDanke \\u2603\\n", cte="8bit")
          m.add_alternative("<p>Gr\\u00fc\\u00dfe</p>", subtype="html", cte="8bit")
          m.add_attachment(bytes(range(256)), maintype="application", subtype="octet-stream",
                           filename="rechnung.bin")
          data = m.as_bytes()
          open(sys.argv[2], "wb").write(data)
          with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), local_hostname="app.staging.test",
                            timeout=30) as s:
              s.ehlo()
              s.mail("bounces@staging.example", ["SMTPUTF8", "BODY=8BITMIME"])
              s.rcpt("customer@example.net")
              s.rcpt("other@example.org")
              print(s.data(data))
          """;
      ProcessRunner.Result sending =
          ProcessRunner.run(
              List.of(
                  python.toString(),
                  "-c",
                  send,
                  String.valueOf(TestRelays.smtpPort(relay)),
                  sent.toString()),
              WAIT);
      assertThat(sending.exitCode()).as(sending.output()).isZero();
      Matcher queued = QUEUED.matcher(sending.output());
      assertThat(queued.find()).as(sending.output()).isTrue();
      byte[] original = Files.readAllBytes(sent);
      assertThat(new String(original, StandardCharsets.UTF_8))
          .contains("From: J\u00fcrgens Shop")
          .contains("multipart/mixed")
          .contains("Content-Transfer-Encoding: 8bit\r\n\r\nHallo,\r\n.Punkt am Anfang");
      Path mailboxes = dir.resolve("mailboxes");
      Await.until(
          "two captured copies",
          WAIT,
          () -> Maildirs.messages(mailboxes, MailboxRelays.USER).size() == 2);

      Path fetched = dir.resolve("fetched");
      Files.createDirectories(fetched);
      String read =
          """
          import imaplib, ssl, sys
          context = ssl.create_default_context(cafile=sys.argv[2])
          m = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]), timeout=30)
          m.starttls(ssl_context=context)
          m.login(sys.argv[3], sys.argv[4])
          typ, data = m.select("INBOX")
          assert typ == "OK" and data[0] == b"2", data
          for item, name in (("BODY.PEEK[]", "peek"), ("RFC822", "rfc822")):
              typ, data = m.fetch("1:2", "(" + item + ")")
              assert typ == "OK", data
              parts = [d for d in data if isinstance(d, tuple)]
              assert len(parts) == 2, data
              for number, (head, content) in enumerate(parts, 1):
                  print(name, number, head.decode())
                  open("%s/%s-%d.eml" % (sys.argv[5], name, number), "wb").write(content)
          m.logout()
          """;
      ProcessRunner.Result reading =
          ProcessRunner.run(
              List.of(
                  python.toString(),
                  "-c",
                  read,
                  String.valueOf(MailboxRelays.imap(relay).getPort()),
                  credentials.certificate().certFile().toString(),
                  MailboxRelays.USER,
                  MailboxRelays.PASSWORD,
                  fetched.toString()),
              WAIT);
      assertThat(reading.exitCode()).as(reading.output()).isZero();

      String received =
          "Received: from app.staging.test ([127.0.0.1])\r\n\tby mail.test (Vireo) with UTF8SMTP id "
              + queued.group(1)
              + ";\r\n\t";
      List<String> recipients = new ArrayList<>();
      for (int number = 1; number <= 2; number++) {
        byte[] peeked = Files.readAllBytes(fetched.resolve("peek-" + number + ".eml"));
        assertThat(Files.readAllBytes(fetched.resolve("rfc822-" + number + ".eml")))
            .isEqualTo(peeked);
        String copy = new String(peeked, StandardCharsets.ISO_8859_1);
        Matcher date = RECEIVED_DATE.matcher(copy);
        assertThat(date.find()).as(copy).isTrue();
        ZonedDateTime when =
            ZonedDateTime.parse(date.group(1), DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(when.toInstant()).isBetween(start, Instant.now());
        String recipient =
            copy.contains("\r\nX-Original-To: customer@example.net\r\n")
                ? "customer@example.net"
                : "other@example.org";
        recipients.add(recipient);
        String added =
            "Return-Path: <bounces@staging.example>\r\nX-Original-To: "
                + recipient
                + "\r\n"
                + received
                + date.group(1)
                + "\r\n";
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(added.getBytes(StandardCharsets.US_ASCII));
        expected.write(original);
        assertThat(peeked).isEqualTo(expected.toByteArray());
      }
      assertThat(recipients).containsExactlyInAnyOrder("customer@example.net", "other@example.org");
    }
  }
}
