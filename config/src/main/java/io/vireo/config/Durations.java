package io.vireo.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in vireo.yaml: a whole number and one unit, such as {@code 30s} or {@code
 * 5m}.
 */
final class Durations {
  static final String EXPECTED = "a duration such as 30s or 5m (units ms, s, m, h, d)";

  private static final Pattern DURATION = Pattern.compile("(\\d{1,18})\\s*([A-Za-z]*)");

  /** Largest first, so format() picks the shortest exact spelling. */
  private static final ChronoUnit[] UNITS = {
    ChronoUnit.DAYS, ChronoUnit.HOURS, ChronoUnit.MINUTES, ChronoUnit.SECONDS, ChronoUnit.MILLIS
  };

  private Durations() {}

  /** Parses a positive duration; the unit is required because a bare number is ambiguous. */
  static Duration parse(String text) {
    Duration value = parseNonNegative(text);
    if (value.isZero()) {
      throw new IllegalArgumentException("must be greater than zero");
    }
    return value;
  }

  /** Like {@link #parse(String)} but accepts zero ({@code 0s}), for keys where zero means off. */
  static Duration parseNonNegative(String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException();
    }
    String unitText = m.group(2).toLowerCase(Locale.ROOT);
    if (unitText.isEmpty()) {
      throw new IllegalArgumentException("a unit is required");
    }
    ChronoUnit unit =
        switch (unitText) {
          case "ms" -> ChronoUnit.MILLIS;
          case "s" -> ChronoUnit.SECONDS;
          case "m" -> ChronoUnit.MINUTES;
          case "h" -> ChronoUnit.HOURS;
          case "d" -> ChronoUnit.DAYS;
          default -> throw new IllegalArgumentException("unknown unit \"" + m.group(2) + "\"");
        };
    Duration value;
    try {
      value = Duration.of(Long.parseLong(m.group(1)), unit);
      value.toMillis(); // rejects values that cannot be used as a timeout anywhere downstream
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("too large");
    }
    return value;
  }

  /**
   * Writes a duration in the largest unit that divides it exactly, so parse(format(d)) == d.
   *
   * @throws IllegalArgumentException for negative durations or ones with a sub-millisecond part,
   *     which vireo.yaml cannot express
   */
  static String format(Duration duration) {
    if (duration.isNegative() || duration.toNanosPart() % 1_000_000 != 0) {
      throw new IllegalArgumentException("not expressible in whole milliseconds: " + duration);
    }
    long millis = duration.toMillis();
    for (ChronoUnit unit : UNITS) {
      long unitMillis = unit.getDuration().toMillis();
      if (millis != 0 && millis % unitMillis == 0) {
        return millis / unitMillis + suffix(unit);
      }
    }
    return "0ms";
  }

  private static String suffix(ChronoUnit unit) {
    return switch (unit) {
      case DAYS -> "d";
      case HOURS -> "h";
      case MINUTES -> "m";
      case SECONDS -> "s";
      default -> "ms";
    };
  }
}
