package io.vireo.relay.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vireo.relay.protocol.ParseResult.Command;
import io.vireo.relay.protocol.ParseResult.SyntaxError;
import io.vireo.relay.protocol.SmtpCommand.Auth;
import io.vireo.relay.protocol.SmtpCommand.Bdat;
import io.vireo.relay.protocol.SmtpCommand.Ehlo;
import io.vireo.relay.protocol.SmtpCommand.Helo;
import io.vireo.relay.protocol.SmtpCommand.MailFrom;
import io.vireo.relay.protocol.SmtpCommand.RcptTo;
import io.vireo.relay.protocol.SmtpCommand.Unknown;
import java.util.Optional;
import java.util.Set;

/**
 * Fuzzes {@link SmtpCommandParser} with arbitrary command lines, as {@link SmtpInput} hands them
 * over (any octets but CR and LF, at most 510 of them). Whatever a client sends, the parser answers
 * with a command or a 5xx reply, never an exception; what it accepts stays within the RFC 5321
 * limits; and an accepted path, written out again as the SMTP client writes it ({@link
 * SmtpCommandRenderer}), parses to the same mailbox. Seeds and past findings: {@code
 * SmtpCommandParserFuzzTestInputs/commandLine}.
 */
class SmtpCommandParserFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void commandLine(byte[] input) {
    byte[] line = asCommandLine(input);
    ParseResult result = SmtpCommandParser.parse(line);
    switch (result) {
      case SyntaxError error -> {
        assertThat(error.reply().code()).as("refusal of %s", printable(line)).isBetween(500, 599);
        assertThat(error.reply().render()).endsWith("\r\n").doesNotContain("\r\n\r\n");
      }
      case Command command -> checkCommand(command.command(), line);
    }
  }

  /** What the command reader can deliver: no CR or LF, at most 510 octets. */
  static byte[] asCommandLine(byte[] input) {
    int length = Math.min(input.length, SmtpInput.MAX_COMMAND_LINE - 2);
    byte[] line = new byte[length];
    for (int i = 0; i < length; i++) {
      byte b = input[i];
      line[i] = b == '\r' || b == '\n' ? (byte) ' ' : b;
    }
    return line;
  }

  private static void checkCommand(SmtpCommand command, byte[] line) {
    switch (command) {
      case MailFrom mail -> {
        mail.reversePath().ifPresent(MailboxChecks::withinLimits);
        mail.parameters().size().ifPresent(size -> assertThat(size).isNotNegative());
        mail.parameters()
            .envelopeId()
            .ifPresent(id -> assertThat(Xtext.isValid(id) && id.length() <= 100).isTrue());
        if (mail.reversePath().isPresent() && !mail.reversePath().get().isAscii()) {
          assertThat(mail.parameters().smtpUtf8()).as("UTF-8 sender without SMTPUTF8").isTrue();
        }
        mail.reversePath()
            .ifPresent(
                sender -> {
                  MailFrom again = new MailFrom(Optional.of(sender), utf8Parameter(sender));
                  MailFrom reparsed = (MailFrom) parsed(SmtpCommandRenderer.render(again));
                  assertThat(reparsed.reversePath()).isEqualTo(Optional.of(sender));
                });
      }
      case RcptTo rcpt -> {
        Mailbox recipient = rcpt.forwardPath();
        MailboxChecks.withinLimits(recipient);
        rcpt.originalRecipient()
            .ifPresent(orcpt -> assertThat(orcpt.length()).isLessThanOrEqualTo(500));
        RcptTo again = new RcptTo(recipient, Set.of(), Optional.empty());
        RcptTo reparsed = (RcptTo) parsed(SmtpCommandRenderer.render(again));
        assertThat(reparsed.forwardPath()).isEqualTo(recipient);
      }
      case Ehlo ehlo -> assertThat(isToken(ehlo.clientName())).isTrue();
      case Helo helo -> assertThat(isToken(helo.clientName())).isTrue();
      case Bdat bdat -> assertThat(bdat.chunkSize()).isNotNegative();
      case Auth auth -> assertThat(auth.mechanism()).matches("[A-Z0-9_-]{1,20}");
      case Unknown unknown -> assertThat(unknown.verb()).matches("[!-~]{0,16}");
      default -> {
        // The remaining verbs carry no value that the parser could get wrong.
      }
    }
    assertThat(line.length).isLessThanOrEqualTo(510);
  }

  /** SMTPUTF8 for a UTF-8 path (RFC 6531 section 3.4), as the client adds it. */
  private static MailParameters utf8Parameter(Mailbox mailbox) {
    MailParameters none = MailParameters.NONE;
    return mailbox.isAscii()
        ? none
        : new MailParameters(none.size(), none.body(), true, none.ret(), none.envelopeId());
  }

  private static SmtpCommand parsed(String line) {
    ParseResult result = SmtpCommandParser.parse(line.getBytes(UTF_8));
    assertThat(result).as("re-parsing %s", line).isInstanceOf(Command.class);
    return ((Command) result).command();
  }

  private static boolean isToken(String name) {
    return !name.isEmpty() && name.chars().allMatch(c -> c > 32 && c < 127);
  }

  static String printable(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes) {
      int c = b & 0xff;
      out.append(c >= 32 && c < 127 ? String.valueOf((char) c) : String.format("\\x%02x", c));
    }
    return out.toString();
  }
}
