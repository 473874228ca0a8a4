package io.vireo.relay.protocol;

import io.vireo.queue.BodyType;
import io.vireo.queue.Notify;
import io.vireo.queue.Ret;
import io.vireo.relay.protocol.ParseResult.Command;
import io.vireo.relay.protocol.ParseResult.SyntaxError;
import io.vireo.relay.protocol.PathParser.PathException;
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
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns one command line (without its CRLF) into an {@link SmtpCommand} or the reply that refuses
 * it. Stateless and free of I/O. Syntax follows RFC 5321 section 4.1 with the parameters of SIZE
 * (RFC 1870), 8BITMIME (RFC 6152), SMTPUTF8 (RFC 6531), DSN (RFC 3461), CHUNKING (RFC 3030) and
 * AUTH (RFC 4954); any other MAIL or RCPT parameter is refused with 555.
 */
public final class SmtpCommandParser {
  private static final int MAX_ENVID_LENGTH = 100; // RFC 3461 section 4.4
  private static final int MAX_ORCPT_LENGTH = 500; // RFC 3461 section 4.2
  private static final int MAX_SIZE_DIGITS = 20; // RFC 1870 section 3: size-value ::= 1*20DIGIT
  private static final int MAX_CHUNK_DIGITS = 18; // fits a long; larger sizes cannot be real
  private static final int MAX_LOGGED_VERB = 16;

  private static final String MAIL_USAGE = "MAIL FROM:<address> [parameters]";
  private static final String RCPT_USAGE = "RCPT TO:<address> [parameters]";

  private SmtpCommandParser() {}

  public static ParseResult parse(byte[] line) {
    return parse(line, 0, line.length);
  }

  /**
   * Parses {@code length} octets of {@code line} from {@code offset}; they must not include the
   * CRLF.
   */
  public static ParseResult parse(byte[] line, int offset, int length) {
    String text = decode(line, offset, length);
    if (text == null) {
      return SyntaxError.of(Replies.INVALID_UTF8);
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 32 || c == 127) {
        return SyntaxError.of(Replies.SYNTAX_ERROR);
      }
    }
    int space = text.indexOf(' ');
    String verb = upperAscii(space < 0 ? text : text.substring(0, space));
    String argument = space < 0 ? "" : text.substring(space + 1);
    return switch (verb) {
      case "EHLO" -> clientName(argument, "EHLO", Ehlo::new);
      case "HELO" -> clientName(argument, "HELO", Helo::new);
      case "MAIL" -> mail(argument);
      case "RCPT" -> rcpt(argument);
      case "DATA" -> noArgument(argument, new Data(), "DATA");
      case "BDAT" -> bdat(argument);
      case "RSET" -> noArgument(argument, new Rset(), "RSET");
      case "QUIT" -> noArgument(argument, new Quit(), "QUIT");
      case "STARTTLS" -> noArgument(argument, new StartTls(), "STARTTLS");
      // RFC 5321 section 4.1.1.9: NOOP may carry a string, which is ignored.
      case "NOOP" -> new Command(new Noop());
      case "HELP" ->
          new Command(
              new Help(argument.isBlank() ? Optional.empty() : Optional.of(argument.strip())));
      case "VRFY" -> required(argument, "VRFY <string>", Vrfy::new);
      case "EXPN" -> required(argument, "EXPN <string>", Expn::new);
      case "AUTH" -> auth(argument);
      default -> new Command(new Unknown(printable(verb)));
    };
  }

  /**
   * Plain ASCII is the common case and needs no decoder; anything else must be well-formed UTF-8.
   */
  private static String decode(byte[] line, int offset, int length) {
    boolean ascii = true;
    for (int i = offset; i < offset + length; i++) {
      if (line[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(line, offset, length, StandardCharsets.ISO_8859_1);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(line, offset, length))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static ParseResult noArgument(String argument, SmtpCommand command, String verb) {
    // Trailing blanks are tolerated: some clients send "DATA " and mean nothing by it.
    return argument.isBlank() ? new Command(command) : SyntaxError.of(Replies.usage(verb));
  }

  private static ParseResult required(
      String argument, String usage, java.util.function.Function<String, SmtpCommand> make) {
    String value = argument.strip();
    return value.isEmpty() ? SyntaxError.of(Replies.usage(usage)) : new Command(make.apply(value));
  }

  /**
   * EHLO/HELO take one domain or address literal. Names are not checked against DNS or the peer
   * (RFC 5321 section 4.1.4 forbids refusing on a mismatch), only for being one printable ASCII
   * token, since the name is copied into the Received header.
   */
  private static ParseResult clientName(
      String argument, String verb, java.util.function.Function<String, SmtpCommand> make) {
    String name = argument.strip();
    if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127)) {
      return SyntaxError.of(Replies.usage(verb + " <domain>"));
    }
    return new Command(make.apply(name));
  }

  // ---- MAIL FROM ----

  private static ParseResult mail(String argument) {
    if (!argument.regionMatches(true, 0, "FROM:", 0, 5)) {
      return SyntaxError.of(Replies.usage(MAIL_USAGE));
    }
    int start = skipSpaces(argument, 5);
    if (start >= argument.length() || argument.charAt(start) != '<') {
      return SyntaxError.of(Replies.usage(MAIL_USAGE));
    }
    PathParser paths = new PathParser(argument, start);
    Optional<Mailbox> reversePath;
    try {
      reversePath = paths.reversePath();
    } catch (PathException e) {
      return SyntaxError.of(
          e == PathException.TOO_LONG ? Replies.PATH_TOO_LONG : Replies.BAD_SENDER_SYNTAX);
    }
    List<Parameter> parameters = new ArrayList<>(4);
    SmtpReply bad = splitParameters(argument, paths.position(), parameters);
    if (bad != null) {
      return SyntaxError.of(bad);
    }
    MailParameterBuilder builder = new MailParameterBuilder();
    for (Parameter parameter : parameters) {
      bad = builder.add(parameter);
      if (bad != null) {
        return SyntaxError.of(bad);
      }
    }
    MailParameters mailParameters = builder.build();
    // RFC 6531 section 3.4: UTF-8 in the reverse-path needs the SMTPUTF8 parameter.
    if (reversePath.isPresent() && !reversePath.get().isAscii() && !mailParameters.smtpUtf8()) {
      return SyntaxError.of(Replies.NON_ASCII_ADDRESS);
    }
    return new Command(new MailFrom(reversePath, mailParameters));
  }

  /** Collects MAIL parameters, refusing duplicates, bad values and unknown keywords. */
  private static final class MailParameterBuilder {
    private final Set<String> seen = new HashSet<>();
    private OptionalLong size = OptionalLong.empty();
    private BodyType body = BodyType.SEVEN_BIT;
    private boolean smtpUtf8;
    private Ret ret = Ret.UNSPECIFIED;
    private Optional<String> envelopeId = Optional.empty();

    SmtpReply add(Parameter p) {
      if (!seen.add(p.keyword())) {
        return Replies.usage("duplicate " + p.keyword() + " parameter");
      }
      switch (p.keyword()) {
        case "SIZE" -> {
          if (!isDigits(p.value(), MAX_SIZE_DIGITS)) {
            return Replies.badParameter("SIZE");
          }
          size = OptionalLong.of(parseSaturated(p.value()));
        }
        case "BODY" -> {
          String value = p.value() == null ? "" : upperAscii(p.value());
          switch (value) {
            case "7BIT" -> body = BodyType.SEVEN_BIT;
            case "8BITMIME" -> body = BodyType.EIGHT_BIT_MIME;
            case "BINARYMIME" -> body = BodyType.BINARY_MIME;
            default -> {
              return Replies.badParameter("BODY");
            }
          }
        }
        case "AUTH" -> {
          // RFC 4954 section 5: the submitter's identity as xtext, or <>. Accepted and not kept:
          // this relay has no trusted upstream whose claim it would pass on.
          if (p.value() == null || !(p.value().equals("<>") || Xtext.isValid(p.value()))) {
            return Replies.badParameter("AUTH");
          }
        }
        case "SMTPUTF8" -> {
          if (p.value() != null) {
            return Replies.badParameter("SMTPUTF8");
          }
          smtpUtf8 = true;
        }
        case "RET" -> {
          String value = p.value() == null ? "" : upperAscii(p.value());
          switch (value) {
            case "FULL" -> ret = Ret.FULL;
            case "HDRS" -> ret = Ret.HDRS;
            default -> {
              return Replies.badParameter("RET");
            }
          }
        }
        case "ENVID" -> {
          if (p.value() == null
              || p.value().length() > MAX_ENVID_LENGTH
              || !Xtext.isValid(p.value())) {
            return Replies.badParameter("ENVID");
          }
          envelopeId = Optional.of(p.value());
        }
        default -> {
          return Replies.parameterNotRecognized(p.keyword());
        }
      }
      return null;
    }

    MailParameters build() {
      return new MailParameters(size, body, smtpUtf8, ret, envelopeId);
    }
  }

  // ---- RCPT TO ----

  private static ParseResult rcpt(String argument) {
    if (!argument.regionMatches(true, 0, "TO:", 0, 3)) {
      return SyntaxError.of(Replies.usage(RCPT_USAGE));
    }
    int start = skipSpaces(argument, 3);
    if (start >= argument.length() || argument.charAt(start) != '<') {
      return SyntaxError.of(Replies.usage(RCPT_USAGE));
    }
    PathParser paths = new PathParser(argument, start);
    Mailbox forwardPath;
    try {
      forwardPath = paths.forwardPath();
    } catch (PathException e) {
      return SyntaxError.of(
          e == PathException.TOO_LONG ? Replies.PATH_TOO_LONG : Replies.BAD_RECIPIENT_SYNTAX);
    }
    List<Parameter> parameters = new ArrayList<>(2);
    SmtpReply bad = splitParameters(argument, paths.position(), parameters);
    if (bad != null) {
      return SyntaxError.of(bad);
    }
    Set<Notify> notify = Set.of();
    Optional<String> orcpt = Optional.empty();
    Set<String> seen = new HashSet<>();
    for (Parameter p : parameters) {
      if (!seen.add(p.keyword())) {
        return SyntaxError.of(Replies.usage("duplicate " + p.keyword() + " parameter"));
      }
      switch (p.keyword()) {
        case "NOTIFY" -> {
          notify = notify(p.value());
          if (notify == null) {
            return SyntaxError.of(Replies.badParameter("NOTIFY"));
          }
        }
        case "ORCPT" -> {
          if (!isValidOrcpt(p.value())) {
            return SyntaxError.of(Replies.badParameter("ORCPT"));
          }
          orcpt = Optional.of(p.value());
        }
        default -> {
          return SyntaxError.of(Replies.parameterNotRecognized(p.keyword()));
        }
      }
    }
    return new Command(new RcptTo(forwardPath, notify, orcpt));
  }

  /** RFC 3461 section 4.1: {@code NEVER} alone, or a list of SUCCESS, FAILURE, DELAY. */
  private static Set<Notify> notify(String value) {
    if (value == null) {
      return null;
    }
    EnumSet<Notify> values = EnumSet.noneOf(Notify.class);
    for (String item : value.split(",", -1)) {
      Notify n;
      try {
        n = Notify.valueOf(upperAscii(item));
      } catch (IllegalArgumentException e) {
        return null;
      }
      if (!values.add(n)) {
        return null;
      }
    }
    if (values.contains(Notify.NEVER) && values.size() > 1) {
      return null;
    }
    return values;
  }

  /**
   * RFC 3461 section 4.2: {@code addr-type ";" xtext}; for the {@code utf-8} type RFC 6533 section
   * 3 also allows UTF-8 text.
   */
  private static boolean isValidOrcpt(String value) {
    if (value == null || value.length() > MAX_ORCPT_LENGTH) {
      return false;
    }
    int semicolon = value.indexOf(';');
    if (semicolon <= 0 || semicolon == value.length() - 1) {
      return false;
    }
    String type = value.substring(0, semicolon);
    if (!type.chars().allMatch(c -> isAlnum(c) || c == '-')) {
      return false;
    }
    String address = value.substring(semicolon + 1);
    if (type.equalsIgnoreCase("utf-8") && !Mailbox.isAscii(address)) {
      return address.codePoints().allMatch(c -> c >= 0x80 || (c > 32 && c < 127 && c != '='));
    }
    return Xtext.isValid(address);
  }

  // ---- BDAT, AUTH ----

  /** RFC 3030 section 2: {@code BDAT SP chunk-size [SP end-marker]}. */
  private static ParseResult bdat(String argument) {
    String[] parts = argument.split(" ", -1);
    boolean last = parts.length == 2 && parts[1].equalsIgnoreCase("LAST");
    if (parts.length > 2 || (parts.length == 2 && !last) || !isDigits(parts[0], MAX_CHUNK_DIGITS)) {
      return new SyntaxError(Replies.BDAT_SYNTAX, true);
    }
    return new Command(new Bdat(Long.parseLong(parts[0]), last));
  }

  /** RFC 4954 section 4: {@code AUTH mechanism [initial-response]}. */
  private static ParseResult auth(String argument) {
    String[] parts = argument.split(" ", -1);
    String mechanism = upperAscii(parts[0]);
    boolean validMechanism =
        !mechanism.isEmpty()
            && mechanism.length() <= 20
            && mechanism.chars().allMatch(c -> isAlnum(c) || c == '-' || c == '_');
    if (!validMechanism || parts.length > 2) {
      return SyntaxError.of(Replies.usage("AUTH mechanism [initial-response]"));
    }
    if (parts.length == 1) {
      return new Command(new Auth(mechanism, Optional.empty()));
    }
    String response = parts[1];
    boolean base64 =
        response.equals("=")
            || (!response.isEmpty()
                && response.chars().allMatch(c -> isAlnum(c) || c == '+' || c == '/' || c == '='));
    if (!base64) {
      return SyntaxError.of(Replies.usage("AUTH mechanism [initial-response]"));
    }
    return new Command(new Auth(mechanism, Optional.of(response)));
  }

  // ---- ESMTP parameters (RFC 5321 section 4.1.2) ----

  private record Parameter(String keyword, String value) {}

  /**
   * Splits {@code *(SP esmtp-param)} after a path. The keyword is upper-cased; the value is null
   * when the parameter has none. Extra spaces between parameters are tolerated.
   */
  private static SmtpReply splitParameters(String text, int from, List<Parameter> out) {
    if (from == text.length()) {
      return null;
    }
    if (text.charAt(from) != ' ') {
      return Replies.SYNTAX_ERROR;
    }
    for (String token : text.substring(from).split(" ")) {
      if (token.isEmpty()) {
        continue;
      }
      int equals = token.indexOf('=');
      String keyword = equals < 0 ? token : token.substring(0, equals);
      String value = equals < 0 ? null : token.substring(equals + 1);
      if (!isEsmtpKeyword(keyword) || (value != null && !isEsmtpValue(value))) {
        return Replies.SYNTAX_ERROR;
      }
      out.add(new Parameter(upperAscii(keyword), value));
    }
    return null;
  }

  /** {@code esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")}. */
  private static boolean isEsmtpKeyword(String s) {
    return !s.isEmpty() && isAlnum(s.charAt(0)) && s.chars().allMatch(c -> isAlnum(c) || c == '-');
  }

  /** {@code esmtp-value = 1*(%d33-60 / %d62-126)}, plus UTF-8 (RFC 6531 section 3.3). */
  private static boolean isEsmtpValue(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> (c >= 33 && c <= 126 && c != '=') || c >= 0x80);
  }

  private static boolean isAlnum(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static boolean isDigits(String s, int maxDigits) {
    return s != null
        && !s.isEmpty()
        && s.length() <= maxDigits
        && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /** A SIZE beyond a long is certainly beyond any limit, so it saturates instead of failing. */
  private static long parseSaturated(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private static int skipSpaces(String s, int from) {
    int i = from;
    while (i < s.length() && s.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  /** The unknown verb as safe text for logs and replies. */
  /**
   * Upper case for ASCII letters only: SMTP's verbs and keywords are ASCII, and Unicode's upper case
   * can make a string longer (U+03B0 becomes three code points), which a fuzz test caught.
   */
  private static String upperAscii(String text) {
    char[] chars = text.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] >= 'a' && chars[i] <= 'z') {
        chars[i] = (char) (chars[i] - ('a' - 'A'));
      }
    }
    return new String(chars);
  }

  private static String printable(String verb) {
    String shortened = verb.length() > MAX_LOGGED_VERB ? verb.substring(0, MAX_LOGGED_VERB) : verb;
    StringBuilder out = new StringBuilder(shortened.length());
    shortened.chars().forEach(c -> out.append(c > 32 && c < 127 ? (char) c : '?'));
    return out.toString();
  }
}
