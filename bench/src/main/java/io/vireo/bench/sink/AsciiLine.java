package io.vireo.bench.sink;

import java.nio.charset.StandardCharsets;

/** Case-insensitive matching and number parsing on a command line held as ASCII bytes. */
final class AsciiLine {
  private AsciiLine() {}

  /** True if {@code line[0, length)} starts with {@code prefix}, ignoring ASCII case. */
  static boolean startsWithIgnoreCase(byte[] line, int length, String prefix) {
    return regionMatchesIgnoreCase(line, length, 0, prefix);
  }

  /** True if the line is exactly {@code verb}, or {@code verb} followed by a space. */
  static boolean isVerb(byte[] line, int length, String verb) {
    return startsWithIgnoreCase(line, length, verb)
        && (length == verb.length() || line[verb.length()] == ' ');
  }

  /** Index of {@code needle} in {@code line[from, length)} ignoring ASCII case, or -1. */
  static int indexOfIgnoreCase(byte[] line, int length, int from, String needle) {
    for (int i = from; i + needle.length() <= length; i++) {
      if (regionMatchesIgnoreCase(line, length, i, needle)) {
        return i;
      }
    }
    return -1;
  }

  /** The decimal number at {@code line[from, ...)} up to the first non-digit, or -1 if there is none or it overflows. */
  static long parseDecimal(byte[] line, int length, int from) {
    long value = 0;
    int i = from;
    while (i < length && line[i] >= '0' && line[i] <= '9') {
      if (i - from >= 18) {
        return -1;
      }
      value = value * 10 + (line[i] - '0');
      i++;
    }
    return i == from ? -1 : value;
  }

  /** End index (exclusive) of the decimal number starting at {@code from}. */
  static int endOfDecimal(byte[] line, int length, int from) {
    int i = from;
    while (i < length && line[i] >= '0' && line[i] <= '9') {
      i++;
    }
    return i;
  }

  /** The path between the first '<' at or after {@code from} and the next '>', or the rest of the line. */
  static String angleAddress(byte[] line, int length, int from) {
    int open = from;
    while (open < length && line[open] != '<') {
      open++;
    }
    if (open == length) {
      return new String(line, from, length - from, StandardCharsets.UTF_8).strip();
    }
    int close = open + 1;
    while (close < length && line[close] != '>') {
      close++;
    }
    return new String(line, open + 1, close - open - 1, StandardCharsets.UTF_8);
  }

  private static boolean regionMatchesIgnoreCase(byte[] line, int length, int offset, String text) {
    if (offset + text.length() > length) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (upper(line[offset + i]) != upper((byte) text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static int upper(byte b) {
    return b >= 'a' && b <= 'z' ? b - 32 : b;
  }
}
