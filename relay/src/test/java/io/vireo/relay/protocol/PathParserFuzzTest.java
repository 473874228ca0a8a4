package io.vireo.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vireo.relay.protocol.PathParser.PathException;
import java.util.Optional;

/**
 * Fuzzes {@link PathParser} directly with any text: a path is either refused with one of its two
 * stackless exceptions or returned as a mailbox within the RFC 5321 limits whose domain is one
 * domain name or address literal; the parser stops right after the closing bracket; and the
 * mailbox written out again ({@code <local@domain>}, as the SMTP client sends it) parses to itself.
 * Seeds and past findings: {@code PathParserFuzzTestInputs/path}.
 */
class PathParserFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void path(FuzzedDataProvider data) {
    boolean forward = data.consumeBoolean();
    String text = data.consumeRemainingAsString();
    PathParser parser = new PathParser(text, 0);
    Optional<Mailbox> mailbox;
    try {
      mailbox = forward ? Optional.of(parser.forwardPath()) : parser.reversePath();
    } catch (PathException e) {
      assertThat(e).isIn(PathException.SYNTAX, PathException.TOO_LONG);
      return;
    }
    assertThat(text).startsWith("<");
    assertThat(parser.position()).isBetween(2, text.length());
    assertThat(text.charAt(parser.position() - 1)).isEqualTo('>');
    if (mailbox.isEmpty()) {
      assertThat(text.substring(0, parser.position())).isEqualTo("<>");
      return;
    }
    Mailbox parsed = mailbox.get();
    MailboxChecks.withinLimits(parsed);
    String again = "<" + parsed.address() + ">";
    PathParser reparser = new PathParser(again, 0);
    Mailbox reparsed = forward ? reparser.forwardPath() : reparser.reversePath().orElseThrow();
    assertThat(reparsed).isEqualTo(parsed);
    assertThat(reparser.position()).isEqualTo(again.length());
  }
}
