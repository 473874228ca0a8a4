package io.vireo.bench.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;

/**
 * Parser for durations written as a number and a unit ({@code 500ms}, {@code 30s}, {@code 10m},
 * {@code 1h}) or in ISO-8601 ({@code PT30S}). A bare number is rejected: "30" could mean seconds or
 * milliseconds, and a benchmark run with the wrong one wastes an hour.
 */
public final class Durations {
  private Durations() {}

  /** Returns the duration {@code text} denotes; throws {@link IllegalArgumentException} if malformed. */
  public static Duration parse(String text) {
    String trimmed = text.strip().toLowerCase(Locale.ROOT);
    if (trimmed.startsWith("p")) {
      try {
        return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("not a duration: '" + text + "'", e);
      }
    }
    int digitsEnd = 0;
    while (digitsEnd < trimmed.length() && Character.isDigit(trimmed.charAt(digitsEnd))) {
      digitsEnd++;
    }
    if (digitsEnd == 0 || digitsEnd > 12) {
      throw new IllegalArgumentException(
          "not a duration: '" + text + "' (examples: 500ms, 30s, 10m, 1h)");
    }
    long amount = Long.parseLong(trimmed.substring(0, digitsEnd));
    return switch (trimmed.substring(digitsEnd).strip()) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m", "min" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      case "" ->
          throw new IllegalArgumentException(
              "duration '" + text + "' needs a unit (500ms, 30s, 10m, 1h)");
      default -> throw new IllegalArgumentException("unknown duration unit in '" + text + "'");
    };
  }

  /** Picocli converter for {@link Duration} options. */
  public static final class Converter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return parse(value);
    }
  }
}
