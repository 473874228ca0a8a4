package io.vireo.relay.delivery.outcome.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class DsnTextTest {

  @Test
  void xtextIsDecodedOnlyWhenWellFormedAndPrintable() {
    assertThat(DsnText.decodeXtext("a+2Bb+3Dc")).isEqualTo("a+b=c");
    assertThat(DsnText.decodeXtext("plain")).isEqualTo("plain");
    assertThat(DsnText.decodeXtext("bad+zz")).isEqualTo("bad+zz"); // not hex: kept as given
    assertThat(DsnText.decodeXtext("short+2")).isEqualTo("short+2");
    assertThat(DsnText.decodeXtext("ctl+0A")).isEqualTo("ctl+0A"); // decodes to LF: kept
    // Not xtext at all (a control character beside an escape): kept, not half-decoded.
    assertThat(DsnText.decodeXtext("\u0000a+2Bb")).isEqualTo("\u0000a+2Bb");
  }

  @Test
  void originalRecipientDecodesRfc822AndKeepsOtherTypes() {
    assertThat(DsnText.originalRecipient("rfc822;a+2Bb@example.org"))
        .isEqualTo("rfc822; a+b@example.org");
    assertThat(DsnText.originalRecipient("RFC822; x@example.org"))
        .isEqualTo("RFC822; x@example.org");
    assertThat(DsnText.originalRecipient("utf-8;j\\x{E4}rg@example.org"))
        .isEqualTo("utf-8; j\\x{E4}rg@example.org");
  }

  @Test
  void typedValuesGetADefaultTypeOnlyWhenTheyHaveNone() {
    assertThat(DsnText.typed("dns;mx.example.net", "dns")).isEqualTo("dns; mx.example.net");
    assertThat(DsnText.typed("mx.example.net", "dns")).isEqualTo("dns; mx.example.net");
    assertThat(DsnText.typed("550 5.1.1 user; unknown", "smtp"))
        .isEqualTo("smtp; 550 5.1.1 user; unknown");
    assertThat(DsnText.typed("X-Unix; exit 1", "smtp")).isEqualTo("X-Unix; exit 1");
  }

  @Test
  void fieldsAreFoldedAtSpacesAndCannotBeInjected() {
    StringBuilder out = new StringBuilder();
    DsnText.appendField(
        out, "Diagnostic-Code", "smtp; 550 bad\r\nInjected: yes " + "x".repeat(1200));
    String field = out.toString();
    assertThat(field).startsWith("Diagnostic-Code: smtp; 550 bad Injected: yes\r\n ");
    for (String line : field.split("\r\n")) {
      assertThat(line.length()).isLessThanOrEqualTo(998);
    }
    assertThat(field.split("\r\n")[1]).startsWith(" x");
  }

  @Test
  void nonAsciiAddressesUseTheRfc6533Form() {
    assertThat(DsnText.finalRecipient("bob@example.net")).isEqualTo("rfc822; bob@example.net");
    assertThat(DsnText.finalRecipient("jörg+x@example.net"))
        .isEqualTo("utf-8; j\\x{F6}rg\\x{2B}x@example.net");
  }

  @Test
  void datesAreRfc5322WithANumericZone() {
    Instant instant = Instant.parse("2025-12-24T18:05:09Z");
    assertThat(DsnText.date(instant, ZoneId.of("UTC")))
        .isEqualTo("Wed, 24 Dec 2025 18:05:09 +0000");
    assertThat(DsnText.date(instant, ZoneId.of("Europe/Berlin")))
        .isEqualTo("Wed, 24 Dec 2025 19:05:09 +0100");
  }
}
