package io.vireo.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * How one kind of scalar in vireo.yaml is read: what an operator should write (for error messages)
 * and a parser that throws {@link IllegalArgumentException}, with an optional short reason, on
 * anything else.
 *
 * @param secret true for a written value that may hold a secret: an error message then does not
 *     repeat it
 */
record ValueType<T>(String expected, Function<String, T> parser, Predicate<String> secret) {

  ValueType(String expected, Function<String, T> parser) {
    this(expected, parser, text -> false);
  }

  static final ValueType<String> HOSTNAME =
      new ValueType<>("a domain name such as mail.example.com", ValueType::domainName);

  /** A listen address: IP literals only, so binding never depends on DNS at start-up. */
  static final ValueType<HostPort> LISTEN_ADDRESS =
      new ValueType<>(
          "an address such as 127.0.0.1:2525 or \"[::1]:2525\" (IP literal, port 0..65535)",
          text -> ipHostPort(text, HostPort.PORT_REQUIRED, 0));

  /** A listen address, or {@code ""} for none (the listener is off). */
  static final ValueType<Optional<HostPort>> OPTIONAL_LISTEN_ADDRESS =
      new ValueType<>(
          "an address such as 127.0.0.1:8480 (IP literal, port 0..65535), or \"\" for none",
          text ->
              text.isBlank()
                  ? Optional.empty()
                  : Optional.of(ipHostPort(text, HostPort.PORT_REQUIRED, 0)));

  static final ValueType<Path> PATH = new ValueType<>("a file system path", ValueType::path);

  /** A path, or {@code ""} for none. */
  static final ValueType<Optional<Path>> OPTIONAL_PATH =
      new ValueType<>(
          "a file system path, or \"\" for none",
          text -> text.isBlank() ? Optional.empty() : Optional.of(path(text)));

  static final ValueType<Boolean> BOOLEAN =
      new ValueType<>("true or false", ValueType::bool);

  static final ValueType<SyncPolicy> SYNC_POLICY =
      new ValueType<>("one of group, always, none", ValueType::syncPolicy);

  static final ValueType<NulPolicy> NUL_POLICY =
      new ValueType<>("one of reject, strip", ValueType::nulPolicy);

  static final ValueType<String> HEADER_NAME =
      new ValueType<>(
          "a header field name such as Subject (printable ASCII, no colon)",
          text -> {
            String name = text.strip();
            if (!DkimConfig.isFieldName(name)) {
              throw new IllegalArgumentException();
            }
            return name;
          });

  static final java.util.List<String> LOG_LEVELS =
      java.util.List.of("trace", "debug", "info", "warn", "error");

  static final ValueType<String> LOG_LEVEL =
      new ValueType<>("one of trace, debug, info, warn, error", ValueType::logLevel);

  static final java.util.List<String> LOG_FORMATS = java.util.List.of("text", "json");

  static final ValueType<String> LOG_FORMAT =
      new ValueType<>(
          "text or json",
          text -> {
            String format = text.strip().toLowerCase(Locale.ROOT);
            if (!LOG_FORMATS.contains(format)) {
              throw new IllegalArgumentException();
            }
            return format;
          });

  static final ValueType<Long> SIZE = new ValueType<>(Sizes.EXPECTED, Sizes::parse);

  static final ValueType<Integer> COUNT =
      new ValueType<>("a whole number greater than zero", ValueType::count);

  /** A count per minute, or {@code unlimited} (empty). */
  static final ValueType<OptionalInt> PER_MINUTE =
      new ValueType<>(
          "a whole number greater than zero, or unlimited",
          text ->
              text.strip().equalsIgnoreCase("unlimited")
                  ? OptionalInt.empty()
                  : OptionalInt.of(count(text)));

  static final ValueType<Duration> DURATION = new ValueType<>(Durations.EXPECTED, Durations::parse);

  static final ValueType<Cidr> NETWORK =
      new ValueType<>("a network such as 10.0.0.0/8 or \"::1/128\"", ValueType::network);

  static final ValueType<String> DOMAIN =
      new ValueType<>("a domain name such as example.com", ValueType::domainName);

  static final ValueType<String> DOMAIN_PATTERN =
      new ValueType<>(
          "a domain pattern: example.com, \"*.example.com\" or \"*\"", ValueType::domainPattern);

  static final ValueType<Integer> REMOTE_PORT =
      new ValueType<>("a port 1..65535", ValueType::remotePort);

  static final ValueType<HostPort> DNS_SERVER =
      new ValueType<>(
          "a resolver address such as 127.0.0.1:5353 (IP literal, port 1..65535, default 53)",
          text -> ipHostPort(text, 53, 1));

  static final ValueType<HostPort> NEXT_HOP =
      new ValueType<>(
          "a next hop such as mx.example.com:25 or 127.0.0.2:2526 (port 1..65535)",
          ValueType::nextHop);

  /** A route's {@code via}: a next hop, or {@code capture} (empty) to keep the mail locally. */
  static final ValueType<Optional<HostPort>> ROUTE_VIA =
      new ValueType<>(
          "a next hop such as mx.example.com:25 or 127.0.0.2:2526 (port 1..65535), or capture",
          text -> text.strip().equals("capture") ? Optional.empty() : Optional.of(nextHop(text)));

  /** A user whose mailbox takes mail (a capture route's {@code mailbox}, an alias member). */
  static final ValueType<String> MAILBOX_USER =
      new ValueType<>(
          "a user name (no space, colon or slash, not . or ..)", LocalConfig::requireMailboxName);

  /** An address such as sales@example.com (a {@code local.aliases} key). */
  static final ValueType<String> ADDRESS =
      new ValueType<>("an address such as sales@example.com", ValueType::address);

  static final ValueType<String> HELO_NAME =
      new ValueType<>(
          "a domain name such as mail.example.com, or \"\" for the hostname",
          text -> text.isBlank() ? "" : domainName(text));

  static final ValueType<TlsMode> TLS_MODE =
      new ValueType<>("one of none, opportunistic, required, verify", ValueType::tlsMode);

  /**
   * A duration where zero, written {@code 0}, {@code 0s} or {@code off}, switches the feature off (a
   * bare {@code 0} needs no unit: it means the same in every one).
   */
  static final ValueType<Duration> DURATION_OR_OFF =
      new ValueType<>(
          "a duration such as 4h (units ms, s, m, h, d), or off", ValueType::durationOrOff);

  /** A size where {@code 0} or {@code off} switches the feature off. */
  static final ValueType<Long> SIZE_OR_OFF =
      new ValueType<>(
          Sizes.EXPECTED + ", or 0/off",
          text -> text.equals("0") || text.equals("off") ? 0L : Sizes.parse(text));

  static final ValueType<Rate> RATE =
      new ValueType<>("a rate such as 100/s, 10/m or 3600/h, or unlimited", Rate::parse);

  /**
   * {@code cluster.redis}: an address, or {@code ""} for none. One written with {@code user:pass@}
   * is refused without being repeated.
   */
  static final ValueType<Optional<RedisEndpoint>> REDIS_ENDPOINT =
      new ValueType<>(
          "a Redis address such as redis://127.0.0.1:6379 or rediss://redis.internal:6380"
              + " (optionally /database), or \"\" for none",
          text -> text.isBlank() ? Optional.empty() : Optional.of(RedisEndpoint.parse(text)),
          text -> text.indexOf('@') >= 0);

  /** {@code cluster.redis-user}: a Redis ACL user name, or {@code ""} for Redis's default user. */
  static final ValueType<Optional<String>> REDIS_USER =
      new ValueType<>(
          "a Redis ACL user name (no spaces or control characters), or \"\" for the default user",
          ValueType::redisUser);

  static final ValueType<String> AUTH_USERNAME =
      new ValueType<>("a user name (not empty, no NUL)", ValueType::credential);

  static final ValueType<String> AUTH_PASSWORD =
      new ValueType<>("a password (not empty, no NUL)", ValueType::credential, text -> true);

  T parse(String text) {
    return parser.apply(text);
  }

  private static String domainName(String text) {
    String name = text.strip();
    if (!DomainNames.isValid(name)) {
      throw new IllegalArgumentException();
    }
    return name;
  }

  private static String domainPattern(String text) {
    String pattern = text.strip().toLowerCase(Locale.ROOT);
    if (!DomainNames.isValidPattern(pattern)) {
      throw new IllegalArgumentException();
    }
    return pattern;
  }

  private static HostPort ipHostPort(String text, int defaultPort, int minPort) {
    HostPort address = HostPort.parse(text, defaultPort);
    if (!address.isIpLiteral()) {
      throw new IllegalArgumentException("the host must be an IP address, not a name");
    }
    if (address.port() < minPort) {
      throw new IllegalArgumentException("port must be " + minPort + "..65535");
    }
    return address;
  }

  private static HostPort nextHop(String text) {
    HostPort address = HostPort.parse(text);
    if (address.port() == 0) {
      throw new IllegalArgumentException("port must be 1..65535");
    }
    return address;
  }

  private static Path path(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("empty");
    }
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(e.getReason());
    }
  }

  private static boolean bool(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException();
    };
  }

  private static String logLevel(String text) {
    String level = text.strip().toLowerCase(Locale.ROOT);
    if (!LOG_LEVELS.contains(level)) {
      throw new IllegalArgumentException();
    }
    return level;
  }

  private static SyncPolicy syncPolicy(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "group" -> SyncPolicy.GROUP;
      case "always" -> SyncPolicy.ALWAYS;
      case "none" -> SyncPolicy.NONE;
      default -> throw new IllegalArgumentException();
    };
  }

  private static NulPolicy nulPolicy(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "reject" -> NulPolicy.REJECT;
      case "strip" -> NulPolicy.STRIP;
      default -> throw new IllegalArgumentException();
    };
  }

  private static TlsMode tlsMode(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "none" -> TlsMode.NONE;
      case "opportunistic" -> TlsMode.OPPORTUNISTIC;
      case "required" -> TlsMode.REQUIRED;
      case "verify" -> TlsMode.VERIFY;
      default -> throw new IllegalArgumentException();
    };
  }

  private static Duration durationOrOff(String text) {
    String value = text.strip();
    return value.equalsIgnoreCase("off") || value.equals("0")
        ? Duration.ZERO
        : Durations.parseNonNegative(value);
  }

  /** Taken as written, spaces included: a password may well start or end with one. */
  private static String address(String text) {
    String address = text.strip();
    int at = address.lastIndexOf('@');
    if (at <= 0 || !DomainNames.isValid(address.substring(at + 1))) {
      throw new IllegalArgumentException();
    }
    return address.toLowerCase(Locale.ROOT);
  }

  private static Optional<String> redisUser(String text) {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (text.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw new IllegalArgumentException();
    }
    return Optional.of(text);
  }

  private static String credential(String text) {
    if (text.isEmpty() || text.indexOf('\0') >= 0) {
      throw new IllegalArgumentException();
    }
    return text;
  }

  private static int count(String text) {
    long value = wholeNumber(text);
    if (value <= 0 || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(value <= 0 ? "must be greater than zero" : "too large");
    }
    return (int) value;
  }

  private static int remotePort(String text) {
    long value = wholeNumber(text);
    if (value < 1 || value > 65535) {
      throw new IllegalArgumentException();
    }
    return (int) value;
  }

  /**
   * Digits with an optional minus sign, so "-1" gets "must be greater than zero" rather than a
   * shrug.
   */
  private static long wholeNumber(String text) {
    String s = text.strip();
    if (!s.matches("-?\\d{1,18}")) {
      throw new IllegalArgumentException();
    }
    return Long.parseLong(s);
  }

  private static Cidr network(String text) {
    Cidr cidr = Cidr.parse(text);
    Cidr canonical = cidr.canonical();
    if (!canonical.equals(cidr)) {
      throw new IllegalArgumentException("host bits set; did you mean " + canonical + "?");
    }
    return cidr;
  }
}
