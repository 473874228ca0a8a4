package io.vireo.mailbox.pop3;

import io.vireo.mailbox.pop3.Pop3Command.Auth;
import io.vireo.mailbox.pop3.Pop3Command.AuthMechanisms;
import io.vireo.mailbox.pop3.Pop3Command.Capa;
import io.vireo.mailbox.pop3.Pop3Command.Dele;
import io.vireo.mailbox.pop3.Pop3Command.ListMessages;
import io.vireo.mailbox.pop3.Pop3Command.Noop;
import io.vireo.mailbox.pop3.Pop3Command.Pass;
import io.vireo.mailbox.pop3.Pop3Command.Quit;
import io.vireo.mailbox.pop3.Pop3Command.Retr;
import io.vireo.mailbox.pop3.Pop3Command.Rset;
import io.vireo.mailbox.pop3.Pop3Command.Stat;
import io.vireo.mailbox.pop3.Pop3Command.Stls;
import io.vireo.mailbox.pop3.Pop3Command.Top;
import io.vireo.mailbox.pop3.Pop3Command.Uidl;
import io.vireo.mailbox.pop3.Pop3Command.Unknown;
import io.vireo.mailbox.pop3.Pop3Command.User;
import io.vireo.mailbox.pop3.Pop3Parse.Invalid;
import io.vireo.mailbox.pop3.Pop3Parse.Parsed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Parses one POP3 command line (without its CRLF) into a {@link Pop3Command}: pure, no I/O, so it
 * can be fuzzed. RFC 1939 section 3: a case-insensitive keyword of three or four characters, then
 * arguments separated by spaces (more than one space is tolerated), each at most 40 characters;
 * PASS alone takes the rest of the line, spaces included. Message numbers are decimal, 1 to
 * 999,999,999; TOP's line count may be 0.
 */
public final class Pop3Parser {
  /** RFC 1939 section 3: arguments may be up to 40 characters long. */
  static final int MAX_ARGUMENT = 40;

  private static final int MAX_NUMBER_DIGITS = 9;

  private Pop3Parser() {}

  public static Pop3Parse parse(byte[] line) {
    int space = indexOf(line, (byte) ' ');
    int keywordEnd = space < 0 ? line.length : space;
    if (keywordEnd == 0) {
      return new Invalid("no command");
    }
    if (keywordEnd < 3 || keywordEnd > 4 || !letters(line, keywordEnd)) {
      return new Invalid("not a POP3 command");
    }
    String keyword =
        new String(line, 0, keywordEnd, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
    if (keyword.equals("PASS")) {
      return pass(line, space);
    }
    byte[] rest = space < 0 ? new byte[0] : Arrays.copyOfRange(line, space + 1, line.length);
    if (!printable(rest, 0, rest.length)) {
      return new Invalid("arguments must be printable characters");
    }
    List<String> arguments = split(new String(rest, StandardCharsets.UTF_8));
    if (arguments.stream().anyMatch(a -> a.length() > MAX_ARGUMENT)) {
      return new Invalid("argument longer than " + MAX_ARGUMENT + " characters");
    }
    return switch (keyword) {
      case "USER" -> exactly(arguments, 1, "USER name", () -> new User(arguments.getFirst()));
      case "AUTH" -> auth(arguments);
      case "STAT" -> exactly(arguments, 0, "STAT", Stat::new);
      case "LIST" -> optionalNumber(arguments, "LIST [msg]", n -> new ListMessages(n));
      case "RETR" -> number(arguments, "RETR msg", Retr::new);
      case "DELE" -> number(arguments, "DELE msg", Dele::new);
      case "NOOP" -> exactly(arguments, 0, "NOOP", Noop::new);
      case "RSET" -> exactly(arguments, 0, "RSET", Rset::new);
      case "QUIT" -> exactly(arguments, 0, "QUIT", Quit::new);
      case "UIDL" -> optionalNumber(arguments, "UIDL [msg]", n -> new Uidl(n));
      case "TOP" -> top(arguments);
      case "CAPA" -> exactly(arguments, 0, "CAPA", Capa::new);
      case "STLS" -> exactly(arguments, 0, "STLS", Stls::new);
      default -> new Parsed(new Unknown(keyword));
    };
  }

  private static Pop3Parse pass(byte[] line, int space) {
    if (space < 0 || space == line.length - 1) {
      return new Invalid("usage: PASS password");
    }
    // Any octet but NUL may be part of a password (CR and LF cannot reach here).
    byte[] password = Arrays.copyOfRange(line, space + 1, line.length);
    if (indexOf(password, (byte) 0) >= 0) {
      return new Invalid("a password cannot contain NUL");
    }
    return new Parsed(new Pass(password));
  }

  private static Pop3Parse auth(List<String> arguments) {
    if (arguments.isEmpty()) {
      return new Parsed(new AuthMechanisms());
    }
    if (arguments.size() > 2) {
      return new Invalid("usage: AUTH mechanism [initial-response]");
    }
    String mechanism = arguments.getFirst().toUpperCase(Locale.ROOT);
    if (!mechanism.matches("[A-Z0-9_-]{1,20}")) {
      return new Invalid("not a SASL mechanism name");
    }
    Optional<String> initial = arguments.size() == 2 ? Optional.of(arguments.get(1)) : Optional.empty();
    return new Parsed(new Auth(mechanism, initial));
  }

  private static Pop3Parse top(List<String> arguments) {
    if (arguments.size() != 2) {
      return new Invalid("usage: TOP msg n");
    }
    OptionalInt message = positive(arguments.get(0));
    OptionalInt lines = nonNegative(arguments.get(1));
    if (message.isEmpty() || lines.isEmpty()) {
      return new Invalid("usage: TOP msg n, with a message number and a line count");
    }
    return new Parsed(new Top(message.getAsInt(), lines.getAsInt()));
  }

  private interface Make {
    Pop3Command make();
  }

  private interface MakeNumbered {
    Pop3Command make(int number);
  }

  private interface MakeOptional {
    Pop3Command make(OptionalInt number);
  }

  private static Pop3Parse exactly(List<String> arguments, int count, String usage, Make make) {
    return arguments.size() == count ? new Parsed(make.make()) : new Invalid("usage: " + usage);
  }

  private static Pop3Parse number(List<String> arguments, String usage, MakeNumbered make) {
    OptionalInt number = arguments.size() == 1 ? positive(arguments.getFirst()) : OptionalInt.empty();
    return number.isPresent()
        ? new Parsed(make.make(number.getAsInt()))
        : new Invalid("usage: " + usage + ", with a message number");
  }

  private static Pop3Parse optionalNumber(List<String> arguments, String usage, MakeOptional make) {
    if (arguments.isEmpty()) {
      return new Parsed(make.make(OptionalInt.empty()));
    }
    return number(arguments, usage, n -> make.make(OptionalInt.of(n)));
  }

  private static OptionalInt positive(String digits) {
    OptionalInt n = nonNegative(digits);
    return n.isPresent() && n.getAsInt() == 0 ? OptionalInt.empty() : n;
  }

  private static OptionalInt nonNegative(String digits) {
    if (digits.isEmpty()
        || digits.length() > MAX_NUMBER_DIGITS
        || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Integer.parseInt(digits));
  }

  private static List<String> split(String rest) {
    List<String> arguments = new ArrayList<>();
    for (String part : rest.split(" ")) {
      if (!part.isEmpty()) {
        arguments.add(part);
      }
    }
    return arguments;
  }

  /** No control characters (UTF-8 octets above 0x7f are allowed in arguments). */
  private static boolean printable(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      int b = bytes[i] & 0xff;
      if (b < 0x20 || b == 0x7f) {
        return false;
      }
    }
    return true;
  }

  private static boolean letters(byte[] bytes, int to) {
    for (int i = 0; i < to; i++) {
      int b = bytes[i] | 0x20;
      if (b < 'a' || b > 'z') {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] bytes, byte wanted) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }
}
