package io.vireo.bench.idle;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;

/**
 * How fast new connections are opened, in connections per second ({@code 2000/s}); {@code
 * unlimited} opens them as fast as the threads can. A bounded rate keeps the server's listen backlog
 * from overflowing, which would turn a memory test into a test of SYN retransmission timers.
 */
public record RampRate(double perSecond) {
  /** No pacing at all. */
  public static final RampRate UNLIMITED = new RampRate(Double.POSITIVE_INFINITY);

  public RampRate {
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException("ramp rate must be positive, got " + perSecond);
    }
  }

  /** Parses {@code 2000/s}, {@code 120/m}, {@code 500} (per second) or {@code unlimited}. */
  public static RampRate parse(String text) {
    String trimmed = text.strip().toLowerCase(Locale.ROOT);
    if (trimmed.equals("unlimited")) {
      return UNLIMITED;
    }
    int slash = trimmed.indexOf('/');
    String amount = slash < 0 ? trimmed : trimmed.substring(0, slash).strip();
    String unit = slash < 0 ? "s" : trimmed.substring(slash + 1).strip();
    double seconds =
        switch (unit) {
          case "s" -> 1;
          case "m", "min" -> 60;
          default ->
              throw new IllegalArgumentException(
                  "not a ramp rate: '" + text + "' (examples: 2000/s, 120/m, unlimited)");
        };
    try {
      return new RampRate(Double.parseDouble(amount) / seconds);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "not a ramp rate: '" + text + "' (examples: 2000/s, 120/m, unlimited)", e);
    }
  }

  /** Nanoseconds from the start of the ramp at which connection {@code index} (from 0) may open. */
  public long startOffsetNanos(long index) {
    return Double.isInfinite(perSecond) ? 0 : (long) (index * 1e9 / perSecond);
  }

  @Override
  public String toString() {
    return Double.isInfinite(perSecond)
        ? "unlimited"
        : String.format(Locale.ROOT, "%.0f/s", perSecond);
  }

  /** Picocli glue. */
  public static final class Converter implements ITypeConverter<RampRate> {
    @Override
    public RampRate convert(String value) {
      return parse(value);
    }
  }
}
