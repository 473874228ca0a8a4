package io.vireo.mailbox.pop3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** RFC 1939 section 3 syntax, one example per rule. */
class Pop3ParserTest {
  private static Pop3Parse parse(String line) {
    return Pop3Parser.parse(line.getBytes(UTF_8));
  }

  private static Pop3Command command(String line) {
    return ((Pop3Parse.Parsed) parse(line)).command();
  }

  @Test
  void keywordsAreCaseInsensitive() {
    assertThat(command("stat")).isEqualTo(new Pop3Command.Stat());
    assertThat(command("Retr 2")).isEqualTo(new Pop3Command.Retr(2));
    assertThat(command("top 1 10")).isEqualTo(new Pop3Command.Top(1, 10));
  }

  @Test
  void optionalMessageNumbers() {
    assertThat(command("LIST")).isEqualTo(new Pop3Command.ListMessages(OptionalInt.empty()));
    assertThat(command("UIDL 3")).isEqualTo(new Pop3Command.Uidl(OptionalInt.of(3)));
  }

  @Test
  void passKeepsSpacesInThePassword() {
    assertThat(((Pop3Command.Pass) command("PASS two words ")).password())
        .isEqualTo("two words ".getBytes(UTF_8));
  }

  @Test
  void authWithAndWithoutInitialResponse() {
    assertThat(command("AUTH plain AGEAYg=="))
        .isEqualTo(new Pop3Command.Auth("PLAIN", Optional.of("AGEAYg==")));
    assertThat(command("AUTH PLAIN")).isEqualTo(new Pop3Command.Auth("PLAIN", Optional.empty()));
    assertThat(command("AUTH")).isEqualTo(new Pop3Command.AuthMechanisms());
  }

  @Test
  void badArgumentsAreRefusedWithAReason() {
    assertThat(parse("RETR 0")).isInstanceOf(Pop3Parse.Invalid.class);
    assertThat(parse("RETR x")).isInstanceOf(Pop3Parse.Invalid.class);
    assertThat(parse("RETR 1234567890")).isInstanceOf(Pop3Parse.Invalid.class);
    assertThat(parse("STAT 1")).isInstanceOf(Pop3Parse.Invalid.class);
    assertThat(parse("TOP 1")).isInstanceOf(Pop3Parse.Invalid.class);
    assertThat(parse("USER " + "u".repeat(41))).isInstanceOf(Pop3Parse.Invalid.class);
    assertThat(parse("PASS")).isInstanceOf(Pop3Parse.Invalid.class);
    assertThat(parse("")).isInstanceOf(Pop3Parse.Invalid.class);
    assertThat(parse("NOOPS")).isInstanceOf(Pop3Parse.Invalid.class);
  }

  @Test
  void unknownKeywordsAreCommandsTheSessionRefuses() {
    assertThat(command("apop mrose c4c9")).isEqualTo(new Pop3Command.Unknown("APOP"));
  }
}
