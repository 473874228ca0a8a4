package io.vireo.relay.delivery.outcome.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.MessageContent;
import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EightBitDowngraderTest {
  private static final String TEXT = "Grüße aus Köln — ça va? 日本語\r\nzweite Zeile = gleich\r\n";
  private static final String HTML = "<p>Grüße aus <b>Köln</b></p>\r\n";

  private final EightBitDowngrader downgrader = new EightBitDowngrader();
  private final Session session = Session.getInstance(new Properties());

  @Test
  void eightBitTextPlainBecomesQuotedPrintableWithIdenticalText() throws Exception {
    String header =
        "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: plain\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: 8bit\r\nX-Trace: kept\r\n";
    MessageContent original = content(header + "\r\n" + TEXT);

    MessageContent converted = converted(downgrader.downgrade(original));

    assertSevenBitClean(converted);
    String out = ascii(converted);
    assertThat(out)
        .startsWith(
            "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: plain\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\nX-Trace: kept\r\n\r\n");
    MimeMessage message = parse(converted);
    assertThat(message.getEncoding()).isEqualTo("quoted-printable");
    assertThat(message.getContent()).isEqualTo(TEXT);
  }

  @Test
  void alternativeAndAttachmentAreEachReencodedAndTheRestIsKeptByteForByte() throws Exception {
    byte[] attachment = new byte[600];
    for (int i = 0; i < attachment.length; i++) {
      attachment[i] = (byte) (i * 7 + 3);
    }
    String seven = "plain ascii part\r\n";
    String prefix =
        "From: alice@example.org\r\nSubject: mixed\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n\r\n"
            + "This is a multi-part message in MIME format.\r\n"
            + "--outer\r\n"
            + "Content-Type: multipart/alternative; boundary=inner\r\n\r\n"
            + "--inner\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + TEXT
            + "\r\n--inner\r\n"
            + "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + HTML
            + "\r\n--inner--\r\n"
            + "\r\n--outer\r\n"
            + "Content-Type: text/plain\r\n\r\n"
            + seven
            + "\r\n--outer\r\n"
            + "Content-Type: application/octet-stream; name=data.bin\r\n"
            + "Content-Disposition: attachment; filename=data.bin\r\n"
            + "Content-Transfer-Encoding: binary\r\n\r\n";
    String suffix = "\r\n--outer--\r\nepilogue text\r\n";
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    raw.writeBytes(prefix.getBytes(StandardCharsets.UTF_8));
    raw.writeBytes(attachment);
    raw.writeBytes(suffix.getBytes(StandardCharsets.US_ASCII));

    MessageContent converted =
        converted(downgrader.downgrade(MessageContent.of(raw.toByteArray())));

    assertSevenBitClean(converted);
    String out = ascii(converted);
    assertThat(out)
        .startsWith(
            "From: alice@example.org\r\nSubject: mixed\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n\r\n"
                + "This is a multi-part message in MIME format.\r\n--outer\r\n")
        .contains("\r\n--outer\r\nContent-Type: text/plain\r\n\r\n" + seven + "\r\n--outer\r\n")
        .endsWith(suffix);

    MimeMultipart mixed = (MimeMultipart) parse(converted).getContent();
    assertThat(mixed.getCount()).isEqualTo(3);
    MimeMultipart alternative = (MimeMultipart) mixed.getBodyPart(0).getContent();
    BodyPart plain = alternative.getBodyPart(0);
    BodyPart html = alternative.getBodyPart(1);
    assertThat(plain.getHeader("Content-Transfer-Encoding")).containsExactly("quoted-printable");
    assertThat(plain.getContent()).isEqualTo(TEXT);
    assertThat(html.getHeader("Content-Transfer-Encoding")).containsExactly("quoted-printable");
    assertThat(html.getContent()).isEqualTo(HTML);
    assertThat(mixed.getBodyPart(1).getContent()).isEqualTo(seven);
    BodyPart data = mixed.getBodyPart(2);
    assertThat(data.getHeader("Content-Transfer-Encoding")).containsExactly("base64");
    assertThat(data.getFileName()).isEqualTo("data.bin");
    assertThat(data.getInputStream().readAllBytes()).isEqualTo(attachment);
  }

  @Test
  void binaryPartBecomesBase64WithIdenticalBytes() throws Exception {
    byte[] payload = new byte[256 * 8];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i; // every octet value, NUL, bare CR and bare LF included
    }
    String header =
        "Subject: image\r\nMIME-Version: 1.0\r\nContent-Type: image/png\r\n"
            + "Content-Transfer-Encoding: binary\r\n\r\n";
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    raw.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
    raw.writeBytes(payload);

    MessageContent converted =
        converted(downgrader.downgrade(MessageContent.of(raw.toByteArray())));

    assertSevenBitClean(converted);
    MimeMessage message = parse(converted);
    assertThat(message.getEncoding()).isEqualTo("base64");
    assertThat(message.getInputStream().readAllBytes()).isEqualTo(payload);
  }

  @Test
  void attachedMessageIsWalkedAndRelabelled() throws Exception {
    String raw =
        "Subject: fwd\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b1\r\n\r\n"
            + "--b1\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + "Subject: inner\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n\r\n"
            + TEXT
            + "\r\n--b1--\r\n";

    MessageContent converted = converted(downgrader.downgrade(content(raw)));

    assertSevenBitClean(converted);
    MimeMultipart parts = (MimeMultipart) parse(converted).getContent();
    BodyPart attached = parts.getBodyPart(0);
    assertThat(attached.getHeader("Content-Transfer-Encoding")).containsExactly("7bit");
    MimeMessage inner = (MimeMessage) attached.getContent();
    assertThat(inner.getSubject()).isEqualTo("inner");
    assertThat(inner.getEncoding()).isEqualTo("quoted-printable");
    assertThat(inner.getContent()).isEqualTo(TEXT);
  }

  @Test
  void nonMimeMessageGetsMimeHeadersSoItsNewEncodingMeansSomething() throws Exception {
    MessageContent converted =
        converted(downgrader.downgrade(content("Subject: legacy\r\n\r\n" + TEXT)));

    assertSevenBitClean(converted);
    MimeMessage message = parse(converted);
    assertThat(message.getHeader("MIME-Version", null)).isEqualTo("1.0");
    assertThat(message.getContentType()).isEqualTo("text/plain; charset=unknown-8bit");
    assertThat(message.getEncoding()).isEqualTo("quoted-printable");
    assertThat(message.getInputStream().readAllBytes())
        .isEqualTo(TEXT.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void sevenBitMessageIsUnchanged() {
    MessageContent original =
        content("Subject: hello\r\nContent-Transfer-Encoding: 8bit\r\n\r\nplain ascii\r\n");

    assertThat(downgrader.downgrade(original)).isEqualTo(new DowngradeResult.Unchanged());
    assertThat(EightBitDowngrader.is8Bit(original)).isFalse();
  }

  @Test
  void rawEightBitSubjectIsImpossible() {
    MessageContent original =
        content("Subject: Grüße\r\nFrom: a@example.org\r\n\r\nascii body\r\n");

    assertThat(EightBitDowngrader.is8Bit(original)).isTrue();
    assertThat(downgrader.downgrade(original))
        .isInstanceOfSatisfying(
            DowngradeResult.Impossible.class,
            impossible -> assertThat(impossible.reason()).contains("message header"));
  }

  @Test
  void eightBitFilenameInAPartHeaderIsImpossible() {
    String raw =
        "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
            + "--b\r\nContent-Type: text/plain; name=\"Grüße.txt\"\r\n\r\nGrüße\r\n--b--\r\n";

    assertThat(downgrader.downgrade(content(raw)))
        .isInstanceOfSatisfying(
            DowngradeResult.Impossible.class,
            impossible -> assertThat(impossible.reason()).contains("part header"));
  }

  @Test
  void partHeaderBeginningWithAFoldedLineIsImpossible() {
    String raw =
        "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
            + "--b\r\n folded: x\r\nContent-Type: text/plain\r\n\r\nGrüße\r\n--b--\r\n";

    assertThat(downgrader.downgrade(content(raw)))
        .isInstanceOfSatisfying(
            DowngradeResult.Impossible.class,
            impossible -> assertThat(impossible.reason()).contains("folded"));
  }

  @Test
  void eightBitOctetsInAPartLabelledBase64AreImpossible() {
    String raw =
        "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\nGrüße\r\n";

    assertThat(downgrader.downgrade(content(raw))).isInstanceOf(DowngradeResult.Impossible.class);
  }

  @Test
  void eightBitMessagePartialIsImpossible() {
    String raw =
        "Subject: x\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: message/partial; id=\"a\"; number=1\r\n\r\n"
            + "Grüße\r\n";

    assertThat(downgrader.downgrade(content(raw)))
        .isInstanceOfSatisfying(
            DowngradeResult.Impossible.class,
            impossible -> assertThat(impossible.reason()).contains("message/partial"));
  }

  @Test
  void overLongLineInAnEightBitTextPartIsSoftBroken() throws Exception {
    String longLine = "ä".repeat(1500) + "\r\n";
    MessageContent converted =
        converted(
            downgrader.downgrade(
                content(
                    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                        + longLine)));

    assertSevenBitClean(converted);
    assertThat(parse(converted).getContent()).isEqualTo(longLine);
  }

  @Test
  void is8BitLooksAtEveryChunk() {
    byte[] big = new byte[3 * 1024 * 1024];
    Arrays.fill(big, (byte) 'a');
    big[big.length - 1] = (byte) 0xE9;
    MessageContent content = MessageContent.of(big);
    assertThat(content.chunkCount()).isGreaterThan(1);
    assertThat(EightBitDowngrader.is8Bit(content)).isTrue();
  }

  // --- helpers

  private static MessageContent converted(DowngradeResult result) {
    assertThat(result).isInstanceOf(DowngradeResult.Converted.class);
    return ((DowngradeResult.Converted) result).content();
  }

  private MimeMessage parse(MessageContent content) throws Exception {
    try (InputStream in = content.openStream()) {
      return new MimeMessage(session, in);
    }
  }

  /** Every octet below 128, CR and LF only as CRLF, no line over 998 octets. */
  private static void assertSevenBitClean(MessageContent content) {
    byte[] bytes = content.toByteArray();
    int lineLength = 0;
    for (int i = 0; i < bytes.length; i++) {
      assertThat(bytes[i] >= 0).as("octet %d is 7-bit", i).isTrue();
      if (bytes[i] == '\r') {
        assertThat(i + 1 < bytes.length && bytes[i + 1] == '\n').as("CR at %d", i).isTrue();
      } else if (bytes[i] == '\n') {
        assertThat(i > 0 && bytes[i - 1] == '\r').as("LF at %d", i).isTrue();
        lineLength = 0;
      } else {
        lineLength++;
        assertThat(lineLength).as("line length at %d", i).isLessThanOrEqualTo(998);
      }
    }
  }

  private static MessageContent content(String text) {
    return MessageContent.of(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String ascii(MessageContent content) {
    return new String(content.toByteArray(), StandardCharsets.US_ASCII);
  }
}
