package io.vireo.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte counts as written in vireo.yaml: {@code 50MB}, {@code 512KB}, {@code 1048576}. Units are
 * binary.
 */
final class Sizes {
  static final String EXPECTED = "a size such as 50MB (units B, KB, MB, GB)";

  private static final Pattern SIZE = Pattern.compile("(\\d{1,19})\\s*([A-Za-z]*)");
  private static final long KB = 1024;
  private static final long MB = 1024 * KB;
  private static final long GB = 1024 * MB;

  private Sizes() {}

  /** Parses a positive size; a plain number is bytes, unit letters are case-insensitive. */
  static long parse(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException();
    }
    long multiplier =
        switch (m.group(2).toUpperCase(Locale.ROOT)) {
          case "", "B" -> 1;
          case "KB" -> KB;
          case "MB" -> MB;
          case "GB" -> GB;
          default -> throw new IllegalArgumentException("unknown unit \"" + m.group(2) + "\"");
        };
    long value;
    try {
      value = Math.multiplyExact(Long.parseLong(m.group(1)), multiplier);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("too large");
    }
    if (value <= 0) {
      throw new IllegalArgumentException("must be greater than zero");
    }
    return value;
  }

  /** Writes a size in the largest unit that divides it exactly, so parse(format(x)) == x. */
  static String format(long bytes) {
    if (bytes != 0 && bytes % GB == 0) {
      return bytes / GB + "GB";
    }
    if (bytes != 0 && bytes % MB == 0) {
      return bytes / MB + "MB";
    }
    if (bytes != 0 && bytes % KB == 0) {
      return bytes / KB + "KB";
    }
    return bytes + "B";
  }
}
