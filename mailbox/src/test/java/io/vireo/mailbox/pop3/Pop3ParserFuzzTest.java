package io.vireo.mailbox.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link Pop3Parser} with arbitrary command lines as {@link Pop3Input} hands them over (no
 * CR or LF, at most {@link Pop3Session#MAX_COMMAND_LINE} octets). Whatever a client sends, the
 * parser gives a command or a reason that renders as one {@code -ERR} line, never an exception;
 * what it accepts is within RFC 1939's limits; and every command but PASS, written out again in its
 * canonical form, parses to the same command. Seeds: {@code Pop3ParserFuzzTestInputs/commandLine}.
 */
class Pop3ParserFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void commandLine(byte[] input) {
    byte[] line = asCommandLine(input);
    switch (Pop3Parser.parse(line)) {
      case Pop3Parse.Invalid(String reason) -> {
        assertThat(reason).isNotEmpty();
        assertThat(Pop3Reply.err(reason).render()).startsWith("-ERR ").endsWith("\r\n");
      }
      case Pop3Parse.Parsed(Pop3Command command) -> check(command, line);
    }
  }

  static byte[] asCommandLine(byte[] input) {
    int length = Math.min(input.length, Pop3Session.MAX_COMMAND_LINE);
    byte[] line = new byte[length];
    for (int i = 0; i < length; i++) {
      byte b = input[i];
      line[i] = b == '\r' || b == '\n' ? (byte) ' ' : b;
    }
    return line;
  }

  private static void check(Pop3Command command, byte[] line) {
    switch (command) {
      case Pop3Command.Pass pass -> {
        assertThat(pass.password()).isNotEmpty().doesNotContain((byte) 0);
        assertThat(line.length).isEqualTo(5 + pass.password().length);
        return;
      }
      case Pop3Command.User user -> {
        assertThat(user.name()).isNotEmpty();
        assertThat(user.name().length()).isLessThanOrEqualTo(Pop3Parser.MAX_ARGUMENT);
        assertThat(user.name().chars()).noneMatch(c -> c < 0x20 || c == 0x7f || c == ' ');
      }
      case Pop3Command.Retr retr -> assertThat(retr.message()).isPositive();
      case Pop3Command.Dele dele -> assertThat(dele.message()).isPositive();
      case Pop3Command.Top top -> {
        assertThat(top.message()).isPositive();
        assertThat(top.lines()).isNotNegative();
      }
      case Pop3Command.ListMessages list -> list.message().ifPresent(n -> assertThat(n).isPositive());
      case Pop3Command.Uidl uidl -> uidl.message().ifPresent(n -> assertThat(n).isPositive());
      case Pop3Command.Auth auth -> assertThat(auth.mechanism()).matches("[A-Z0-9_-]{1,20}");
      case Pop3Command.Unknown unknown -> assertThat(unknown.keyword()).matches("[A-Z]{3,4}");
      default -> {}
    }
    String again = canonical(command);
    assertThat(Pop3Parser.parse(again.getBytes(StandardCharsets.UTF_8)))
        .as("re-parse of %s", again)
        .isEqualTo(new Pop3Parse.Parsed(command));
  }

  /** The command as a client would write it. */
  static String canonical(Pop3Command command) {
    return switch (command) {
      case Pop3Command.User user -> "USER " + user.name();
      case Pop3Command.Pass pass -> "PASS " + new String(pass.password(), StandardCharsets.UTF_8);
      case Pop3Command.Auth auth -> "AUTH " + auth.mechanism() + auth.initialResponse().map(r -> " " + r).orElse("");
      case Pop3Command.AuthMechanisms m -> "AUTH";
      case Pop3Command.Stat s -> "STAT";
      case Pop3Command.ListMessages list -> "LIST" + (list.message().isPresent() ? " " + list.message().getAsInt() : "");
      case Pop3Command.Retr retr -> "RETR " + retr.message();
      case Pop3Command.Dele dele -> "DELE " + dele.message();
      case Pop3Command.Noop n -> "NOOP";
      case Pop3Command.Rset r -> "RSET";
      case Pop3Command.Quit q -> "QUIT";
      case Pop3Command.Uidl uidl -> "UIDL" + (uidl.message().isPresent() ? " " + uidl.message().getAsInt() : "");
      case Pop3Command.Top top -> "TOP " + top.message() + " " + top.lines();
      case Pop3Command.Capa c -> "CAPA";
      case Pop3Command.Stls s -> "STLS";
      case Pop3Command.Unknown unknown -> unknown.keyword();
    };
  }
}
