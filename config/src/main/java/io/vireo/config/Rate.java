package io.vireo.config;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message rate, written in vireo.yaml as {@code 100/s}, {@code 10/m}, {@code 3600/h}, {@code
 * 500/d} or {@code unlimited}.
 *
 * @param perSecond messages per second, between one a day and a billion a second; {@link
 *     Double#POSITIVE_INFINITY} for {@link #unlimited()}
 */
public record Rate(double perSecond) {
  private static final double SECONDS_PER_DAY = 86_400;

  /** Below one message a day a rate is no longer a throttle but a pause. */
  private static final double MIN_PER_SECOND = 1 / SECONDS_PER_DAY;

  /** Keeps every finite rate printable as a short decimal. */
  private static final double MAX_PER_SECOND = 1e9;

  private static final String UNLIMITED = "unlimited";
  private static final Pattern RATE =
      Pattern.compile("(\\d{1,15}(?:\\.\\d{1,30})?)\\s*(?:/\\s*([A-Za-z]*))?");
  private static final String[] UNITS = {"s", "m", "h", "d"};
  private static final double[] UNIT_SECONDS = {1, 60, 3600, SECONDS_PER_DAY};

  public Rate {
    if (perSecond != Double.POSITIVE_INFINITY
        && !(perSecond >= MIN_PER_SECOND && perSecond <= MAX_PER_SECOND)) {
      throw new IllegalArgumentException(
          "rate must be between 1/d and 1000000000/s, or unlimited: " + perSecond + "/s");
    }
  }

  /** No limit at all. */
  public static Rate unlimited() {
    return new Rate(Double.POSITIVE_INFINITY);
  }

  public boolean isUnlimited() {
    return perSecond == Double.POSITIVE_INFINITY;
  }

  /**
   * Parses {@code N/s}, {@code N/m}, {@code N/h}, {@code N/d} (N a decimal number such as 100 or
   * 2.5; spaces around the slash allowed; units case-insensitive) or {@code unlimited}.
   *
   * @throws IllegalArgumentException with a short reason (possibly none) for anything else
   */
  public static Rate parse(String text) {
    String s = text.strip();
    if (s.equalsIgnoreCase(UNLIMITED)) {
      return unlimited();
    }
    Matcher m = RATE.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException();
    }
    if (m.group(2) == null || m.group(2).isEmpty()) {
      throw new IllegalArgumentException("a unit is required, e.g. " + m.group(1) + "/s");
    }
    String unit = m.group(2).toLowerCase(Locale.ROOT);
    for (int i = 0; i < UNITS.length; i++) {
      if (UNITS[i].equals(unit)) {
        double count = Double.parseDouble(m.group(1));
        if (count == 0) {
          throw new IllegalArgumentException("must be greater than zero");
        }
        double perSecond = count / UNIT_SECONDS[i];
        if (perSecond < MIN_PER_SECOND) {
          throw new IllegalArgumentException("below the minimum of 1/d");
        }
        if (perSecond > MAX_PER_SECOND) {
          throw new IllegalArgumentException("above 1000000000/s; write unlimited");
        }
        return new Rate(perSecond);
      }
    }
    throw new IllegalArgumentException("unknown unit \"" + m.group(2) + "\"");
  }

  /**
   * The vireo.yaml form: a whole count in the smallest unit that gives one ({@code 10/m} rather
   * than {@code 0.1666.../s}), else a decimal per second; {@code parse(toString())} equals this.
   */
  @Override
  public String toString() {
    if (isUnlimited()) {
      return UNLIMITED;
    }
    for (int i = 0; i < UNITS.length; i++) {
      double count = Math.rint(perSecond * UNIT_SECONDS[i]);
      // Only exact when parse() would compute this very double from the printed count.
      if (count >= 1 && count < 1e15 && count / UNIT_SECONDS[i] == perSecond) {
        return (long) count + "/" + UNITS[i];
      }
    }
    return BigDecimal.valueOf(perSecond).stripTrailingZeros().toPlainString() + "/s";
  }
}
