package io.vireo.relay.delivery.outcome.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vireo.relay.protocol.Xtext;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzzes the text rules of a DSN ({@link DsnText}) and the xtext codec ({@link Xtext}) they share
 * with the SMTP client. Encoding then decoding xtext gives the text back, and the encoding is valid
 * xtext; decoding whatever a client sent never throws and, in a DSN, gives printable ASCII or the
 * value unchanged; the RFC 6533 escapes of an address are printable ASCII and unescape to it; and a
 * DSN field built from any value is folded into CRLF lines of printable ASCII of at most 998 octets
 * whose unfolding gives the printable form of the value back. Seeds and past findings: {@code
 * DsnTextFuzzTestInputs/text}.
 */
class DsnTextFuzzTest {
  private static final Pattern ESCAPE = Pattern.compile("\\\\x\\{([0-9A-F]+)\\}");

  @FuzzTest(maxDuration = "2m")
  void text(FuzzedDataProvider data) {
    int max = data.consumeInt(0, 1200);
    String value = data.consumeRemainingAsString();

    // xtext round trip (RFC 3461 section 4), for text that has a UTF-8 form.
    String xtext = Xtext.encode(value);
    assertThat(xtext.chars().allMatch(c -> c > ' ' && c < 127 && c != '=')).isTrue();
    assertThat(Xtext.isValid(xtext)).isEqualTo(!value.isEmpty());
    if (isWellFormed(value)) {
      assertThat(Xtext.decode(xtext)).isEqualTo(value);
      if (value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
        assertThat(DsnText.decodeXtext(xtext)).isEqualTo(value);
      }
    }

    // Decoding what a client sent.
    Xtext.decode(value);
    String decoded = DsnText.decodeXtext(value);
    if (!decoded.equals(value)) {
      assertThat(decoded.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).as("decoded %s", value).isTrue();
    }
    assertThat(DsnText.originalRecipient(value)).contains(";");

    // RFC 6533 escapes.
    String escaped = DsnText.utf8AddrXtext(value);
    assertThat(escaped.chars().allMatch(c -> c > ' ' && c < 127)).as("escaped %s", escaped).isTrue();
    if (isWellFormed(value)) {
      assertThat(unescape(escaped)).isEqualTo(value);
    }
    String finalRecipient = DsnText.finalRecipient(value);
    if (!DsnText.isAscii(value)) {
      assertThat(finalRecipient).startsWith("utf-8; ");
      assertThat(finalRecipient.chars().allMatch(c -> c >= ' ' && c < 127)).isTrue();
    }

    // Printable form and folding.
    String printable = DsnText.printable(value, max);
    assertThat(printable.length()).isLessThanOrEqualTo(max);
    assertThat(printable).doesNotStartWith(" ").doesNotEndWith(" ").doesNotContain("  ");
    assertThat(printable.chars().allMatch(c -> c >= ' ' && c < 127)).isTrue();

    StringBuilder field = new StringBuilder();
    DsnText.appendField(field, "Diagnostic-Code", value);
    String folded = field.toString();
    assertThat(folded).endsWith("\r\n").startsWith("Diagnostic-Code:");
    String[] lines = folded.substring(0, folded.length() - 2).split("\r\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      assertThat(line.length()).as("line %d of %s", i, folded).isLessThanOrEqualTo(998);
      assertThat(line.chars().allMatch(c -> c >= ' ' && c < 127)).isTrue();
      if (i > 0) {
        assertThat(line).as("continuation line").startsWith(" ");
      }
    }
    String unfolded = String.join("", lines).substring("Diagnostic-Code:".length()).strip();
    StringBuilder words = new StringBuilder();
    for (String word : DsnText.printable(value, 4000).split(" ")) {
      if (!word.isEmpty()) {
        words.append(words.isEmpty() ? "" : " ").append(word.length() > 900 ? word.substring(0, 900) : word);
      }
    }
    assertThat(unfolded).isEqualTo(words.toString());
  }

  private static boolean isWellFormed(String s) {
    return StandardCharsets.UTF_8.newEncoder().canEncode(s);
  }

  private static String unescape(String escaped) {
    Matcher m = ESCAPE.matcher(escaped);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(Character.toString(Integer.parseInt(m.group(1), 16))));
    }
    m.appendTail(out);
    return out.toString();
  }
}
