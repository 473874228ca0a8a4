package io.vireo.relay.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vireo.queue.BodyType;
import io.vireo.queue.Notify;
import io.vireo.queue.Ret;
import io.vireo.relay.protocol.ParseResult.Command;
import io.vireo.relay.protocol.SmtpCommand.Auth;
import io.vireo.relay.protocol.SmtpCommand.Bdat;
import io.vireo.relay.protocol.SmtpCommand.Data;
import io.vireo.relay.protocol.SmtpCommand.Ehlo;
import io.vireo.relay.protocol.SmtpCommand.Expn;
import io.vireo.relay.protocol.SmtpCommand.Helo;
import io.vireo.relay.protocol.SmtpCommand.Help;
import io.vireo.relay.protocol.SmtpCommand.MailFrom;
import io.vireo.relay.protocol.SmtpCommand.Noop;
import io.vireo.relay.protocol.SmtpCommand.Quit;
import io.vireo.relay.protocol.SmtpCommand.RcptTo;
import io.vireo.relay.protocol.SmtpCommand.Rset;
import io.vireo.relay.protocol.SmtpCommand.StartTls;
import io.vireo.relay.protocol.SmtpCommand.Unknown;
import io.vireo.relay.protocol.SmtpCommand.Vrfy;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Fuzzes {@link SmtpCommandRenderer} against {@link SmtpCommandParser}, the two halves of the one
 * command vocabulary the server and the SMTP client share. Two properties, one input each (the
 * input's last octet picks which):
 *
 * <ul>
 *   <li>any line the parser accepts renders to a line, no longer than it, that parses to the same
 *       command and renders to itself again: {@code parse(render(parse(x))) == parse(x)};
 *   <li>any command built from the input the way a client builds one (valid paths, parameters and
 *       DSN values) parses back from its rendering: {@code parse(render(cmd)) == cmd}.
 * </ul>
 *
 * Seeds and past findings: {@code CommandRoundTripFuzzTestInputs/roundTrip} (a command line and a
 * last octet {@code 0x00}, or any octets ending in {@code 0x01}).
 */
class CommandRoundTripFuzzTest {
  private static final String ATEXT =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-";
  private static final String LETDIG = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final String BASE64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
  private static final String VERB = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";
  private static final Set<String> VERBS =
      Set.of(
          "EHLO",
          "HELO",
          "MAIL",
          "RCPT",
          "DATA",
          "BDAT",
          "RSET",
          "QUIT",
          "STARTTLS",
          "NOOP",
          "HELP",
          "VRFY",
          "EXPN",
          "AUTH");

  @FuzzTest(maxDuration = "2m")
  void roundTrip(FuzzedDataProvider data) {
    if (data.consumeBoolean()) {
      builtCommand(data);
    } else {
      parsedLine(SmtpCommandParserFuzzTest.asCommandLine(data.consumeRemainingAsBytes()));
    }
  }

  private static void parsedLine(byte[] line) {
    if (!(SmtpCommandParser.parse(line) instanceof Command(SmtpCommand command))) {
      return;
    }
    String rendered = SmtpCommandRenderer.render(command);
    assertThat(rendered.getBytes(UTF_8).length)
        .as("rendering of %s", new String(line, UTF_8))
        .isLessThanOrEqualTo(line.length);
    assertThat(SmtpCommandParser.parse(rendered.getBytes(UTF_8)))
        .as("%s rendered as %s", new String(line, UTF_8), rendered)
        .isEqualTo(new Command(command));
    assertThat(SmtpCommandRenderer.render(command)).isEqualTo(rendered);
  }

  private static void builtCommand(FuzzedDataProvider data) {
    SmtpCommand command = command(data);
    String rendered = SmtpCommandRenderer.render(command);
    assertThat(rendered).doesNotContain("\r", "\n");
    assertThat(SmtpCommandParser.parse(rendered.getBytes(UTF_8)))
        .as("%s rendered as %s", command, rendered)
        .isEqualTo(new Command(command));
  }

  private static SmtpCommand command(FuzzedDataProvider data) {
    return switch (data.consumeInt(0, 14)) {
      case 0 -> new Ehlo(token(data));
      case 1 -> new Helo(token(data));
      case 2 -> mail(data);
      case 3 -> rcpt(data);
      case 4 -> new Data();
      case 5 -> new Bdat(data.consumeLong(0, 999_999_999_999_999_999L), data.consumeBoolean());
      case 6 -> new Rset();
      case 7 -> new Noop();
      case 8 -> new Quit();
      case 9 -> new StartTls();
      case 10 -> new Help(data.consumeBoolean() ? Optional.of(text(data)) : Optional.empty());
      case 11 -> new Vrfy(text(data));
      case 12 -> new Expn(text(data));
      case 13 ->
          new Auth(
              chars(data, VERB + "_", 1, 20),
              data.consumeBoolean()
                  ? Optional.of(data.consumeBoolean() ? "=" : chars(data, BASE64, 1, 80))
                  : Optional.empty());
      default -> {
        String verb = chars(data, VERB, 0, 16);
        yield new Unknown(VERBS.contains(verb) ? verb + "X" : verb);
      }
    };
  }

  private static MailFrom mail(FuzzedDataProvider data) {
    boolean smtpUtf8 = data.consumeBoolean();
    Optional<Mailbox> sender =
        data.consumeBoolean() ? Optional.empty() : Optional.of(mailbox(data, smtpUtf8));
    MailParameters parameters =
        new MailParameters(
            data.consumeBoolean()
                ? OptionalLong.of(data.consumeLong(0, Long.MAX_VALUE))
                : OptionalLong.empty(),
            data.pickValue(BodyType.values()),
            smtpUtf8,
            data.pickValue(Ret.values()),
            data.consumeBoolean()
                ? Optional.of(Xtext.encode(chars(data, ATEXT + " +=\u00e9", 1, 15)))
                : Optional.empty());
    return new MailFrom(sender, parameters);
  }

  private static RcptTo rcpt(FuzzedDataProvider data) {
    Mailbox recipient =
        data.consumeInt(0, 9) == 0 ? new Mailbox("Postmaster", "") : mailbox(data, true);
    Set<Notify> notify = EnumSet.noneOf(Notify.class);
    if (data.consumeBoolean()) {
      notify.add(Notify.NEVER);
    } else {
      for (Notify value : EnumSet.complementOf(EnumSet.of(Notify.NEVER))) {
        if (data.consumeBoolean()) {
          notify.add(value);
        }
      }
    }
    Optional<String> orcpt =
        data.consumeBoolean()
            ? Optional.of("rfc822;" + Xtext.encode(chars(data, ATEXT + "@ +=", 1, 60)))
            : Optional.empty();
    return new RcptTo(recipient, notify, orcpt);
  }

  /** A dot-atom or quoted local part (UTF-8 only when allowed) at a domain or address literal. */
  private static Mailbox mailbox(FuzzedDataProvider data, boolean utf8) {
    String local =
        switch (data.consumeInt(0, 2)) {
          case 0 -> "\"" + chars(data, ATEXT + " @.,:;", 1, 20) + "\"";
          case 1 -> dotted(data, ATEXT + (utf8 ? "\u00fc\u00e9" : ""), 3, 10);
          default -> dotted(data, ATEXT, 3, 10);
        };
    String domain =
        data.consumeInt(0, 4) == 0
            ? "[" + data.consumeInt(0, 255) + "." + data.consumeInt(0, 255) + ".0.1]"
            : dotted(data, LETDIG, 4, 12);
    return new Mailbox(local, domain);
  }

  private static String dotted(FuzzedDataProvider data, String alphabet, int parts, int length) {
    StringBuilder out = new StringBuilder();
    int count = data.consumeInt(1, parts);
    for (int i = 0; i < count; i++) {
      out.append(i == 0 ? "" : ".").append(chars(data, alphabet, 1, length));
    }
    return out.toString();
  }

  /** One printable ASCII word, as EHLO takes. */
  private static String token(FuzzedDataProvider data) {
    StringBuilder printable = new StringBuilder();
    for (char c = '!'; c <= '~'; c++) {
      printable.append(c);
    }
    return chars(data, printable.toString(), 1, 60);
  }

  /** Printable ASCII words with single spaces between them. */
  private static String text(FuzzedDataProvider data) {
    return dotted(data, ATEXT, 4, 12).replace('.', ' '); // ATEXT has no dot
  }

  private static String chars(FuzzedDataProvider data, String alphabet, int min, int max) {
    int length = data.consumeInt(min, max);
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(data.consumeInt(0, alphabet.length() - 1)));
    }
    return out.toString();
  }
}
