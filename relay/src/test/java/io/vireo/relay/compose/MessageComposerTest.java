package io.vireo.relay.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The composed MIME, read back by an independent parser: Python's {@code email} package. */
class MessageComposerTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T10:15:30Z"), ZoneOffset.UTC);
  private static final byte[] PDF = "%PDF-1.4\n\u0000\u00ff binary \r\n tail".getBytes(StandardCharsets.ISO_8859_1);

  @TempDir Path dir;

  private final MessageComposer composer = new MessageComposer("relay.test", CLOCK);

  private static Draft draft(Optional<String> text, Optional<String> html, List<Draft.Attachment> attachments) {
    return new Draft(
        "Jürgen Müller <jurgen@example.com>",
        List.of("Zoë <zoe@example.net>", "bob@example.net"),
        List.of("carol@example.org"),
        List.of("hidden@example.org"),
        Optional.of("Support <help@example.com>"),
        "Grüße – 日本語のテスト and a rather long subject line that has to be folded somewhere",
        text,
        html,
        attachments,
        Map.of("X-Campaign", "Hiver ❄ 2026"));
  }

  @Test
  // Python reads the body as sent, so its line ends are the wire's CRLF (bare LF in the draft
  // became CRLF, RFC 5322 section 2.3).
  void htmlTextAndAttachmentsAreMixedAroundAlternative() throws Exception {
    Composed composed =
        composer.compose(
            draft(
                Optional.of("Hallo Zoë,\nline two\n"),
                Optional.of("<p>Hallo <b>Zoë</b></p>\n"),
                List.of(
                    new Draft.Attachment("Rechnung März.pdf", "application/pdf", PDF),
                    new Draft.Attachment("notes.txt", "text/plain", "plain".getBytes(StandardCharsets.US_ASCII)))));

    assertThat(composed.sender()).isEqualTo("jurgen@example.com");
    assertThat(composed.recipients())
        .containsExactly("zoe@example.net", "bob@example.net", "carol@example.org", "hidden@example.org");
    String summary = MimeSummary.of(composed.message(), dir);
    assertThat(summary)
        .contains("\"defects\": []")
        .contains("\"ascii_headers\": true", "\"crlf_only\": true")
        .contains("\"from_name\": \"Jürgen Müller\"", "\"from_address\": \"jurgen@example.com\"")
        .contains("\"subject\": \"Grüße – 日本語のテスト and a rather long subject line that has to be folded somewhere\"")
        .contains("\"to\": [\"zoe@example.net\", \"bob@example.net\"]", "\"cc\": [\"carol@example.org\"]")
        .contains("\"bcc_header\": false")
        .contains("\"reply_to\": \"Support <help@example.com>\"")
        .contains("\"X-Campaign\": \"Hiver ❄ 2026\"")
        .contains("\"mime_version\": \"1.0\"")
        .contains("\"date\": \"Wed, 02 Dec 2026 10:15:30 +0000\"")
        .containsPattern("\"message_id\": \"<[0-9a-f]{32}@relay.test>\"")
        .contains(
            "\"tree\": {\"parts\": [{\"parts\": [{\"content\": \"Hallo Zoë,\\r\\nline two\\r\\n\"",
            "\"type\": \"text/plain\"}, {\"content\": \"<p>Hallo <b>Zoë</b></p>\\r\\n\"",
            "\"type\": \"multipart/alternative\"}",
            "\"filename\": \"Rechnung März.pdf\"",
            "\"sha256\": \"" + sha256(PDF) + "\", \"size\": " + PDF.length + ", \"type\": \"application/pdf\"",
            "\"filename\": \"notes.txt\"",
            "\"type\": \"multipart/mixed\"}");
  }

  @Test
  void textAloneIsASinglePart() throws Exception {
    Composed composed = composer.compose(draft(Optional.of("only text é\n"), Optional.empty(), List.of()));
    String summary = MimeSummary.of(composed.message(), dir);
    assertThat(summary)
        .contains("\"defects\": []")
        .contains("\"tree\": {\"content\": \"only text é\\r\\n\"")
        .containsPattern("\"cte\": \"(quoted-printable|base64)\"")
        .contains("\"type\": \"text/plain\"}");
  }

  @Test
  // Jakarta Mail still chooses each text's transfer encoding from its octets: ASCII in short lines
  // goes as it is, a line over RFC 5322's 998 octets as quoted-printable, mostly non-ASCII text as
  // base64; each reads back as the text given.
  void eachTextGetsTheTransferEncodingItsOctetsNeed() throws Exception {
    String shortLines = "line one\nline two\n";
    String longLine = "x".repeat(3900);
    String mostlyNonAscii = "日本語のテキストです。".repeat(10);
    Map<String, String> expected =
        Map.of(shortLines, "7bit", longLine, "quoted-printable", mostlyNonAscii, "base64");
    for (Map.Entry<String, String> text : expected.entrySet()) {
      Composed composed = composer.compose(draft(Optional.of(text.getKey()), Optional.empty(), List.of()));
      String wireText = text.getKey().replace("\n", "\r\n");
      assertThat(MimeSummary.of(composed.message(), dir))
          .contains("\"defects\": []", "\"crlf_only\": true")
          .contains("\"cte\": \"" + text.getValue() + "\"")
          .contains("\"content\": \"" + wireText.replace("\r\n", "\\r\\n") + "\"");
    }
  }

  @Test
  void bareCarriageReturnsAndLineFeedsBecomeCrlf() {
    byte[] mixed = "a\rb\nc\r\nd\r\r\n\n".getBytes(StandardCharsets.US_ASCII);
    assertThat(new String(MessageComposer.crlf(mixed), StandardCharsets.US_ASCII))
        .isEqualTo("a\r\nb\r\nc\r\nd\r\n\r\n\r\n");
    byte[] alreadyCrlf = "one\r\ntwo\r\n".getBytes(StandardCharsets.US_ASCII);
    assertThat(MessageComposer.crlf(alreadyCrlf)).isSameAs(alreadyCrlf);
    assertThat(MessageComposer.crlf(new byte[] {'\n'})).containsExactly('\r', '\n');
    assertThat(MessageComposer.crlf(new byte[] {'\r'})).containsExactly('\r', '\n');
  }

  @Test
  void htmlAloneIsASinglePart() throws Exception {
    Composed composed = composer.compose(draft(Optional.empty(), Optional.of("<p>x</p>"), List.of()));
    assertThat(MimeSummary.of(composed.message(), dir))
        .contains("\"defects\": []", "\"type\": \"text/html\"}");
  }

  @Test
  void badDraftsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> composer.compose(draft(Optional.empty(), Optional.empty(), List.of())))
        .isInstanceOf(ComposeException.class)
        .hasMessageContaining("text, html or an attachment");
    Draft injected =
        new Draft("a@example.com", List.of("b@example.net"), List.of(), List.of(), Optional.empty(),
            "hi\r\nBcc: victim@example.org", Optional.of("x"), Optional.empty(), List.of(), Map.of());
    assertThatThrownBy(() -> composer.compose(injected)).hasMessageContaining("subject must be one line");
    Draft reserved =
        new Draft("a@example.com", List.of("b@example.net"), List.of(), List.of(), Optional.empty(),
            "hi", Optional.of("x"), Optional.empty(), List.of(), Map.of("Content-Type", "text/evil"));
    assertThatThrownBy(() -> composer.compose(reserved)).hasMessageContaining("written by Vireo");
    Draft badAddress =
        new Draft("not an address", List.of("b@example.net"), List.of(), List.of(), Optional.empty(),
            "hi", Optional.of("x"), Optional.empty(), List.of(), Map.of());
    assertThatThrownBy(() -> composer.compose(badAddress)).hasMessageContaining("from: not a mailbox");
  }

  @Test
  void theStreamProviderIsLookedUpOnceAndNamedForJakartaMail() {
    // Whatever the JVM began with, a composer leaves the provider it found named (or the one an
    // operator named before): Jakarta Mail then loads it by name instead of searching the class path.
    assertThat(System.getProperty(jakarta.mail.util.StreamProvider.class.getName()))
        .isEqualTo("org.eclipse.angus.mail.util.MailStreamProvider");
    assertThat(jakarta.mail.util.StreamProvider.provider().getClass().getName())
        .isEqualTo("org.eclipse.angus.mail.util.MailStreamProvider");
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
