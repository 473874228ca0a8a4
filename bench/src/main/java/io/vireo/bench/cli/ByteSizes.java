package io.vireo.bench.cli;

import picocli.CommandLine.ITypeConverter;

/**
 * Parser for byte sizes written the way people type them on a command line: {@code 4096}, {@code 4KB},
 * {@code 1MB}, {@code 16k}, {@code 2MiB}. Multiples are binary (1 KB = 1024 bytes), as message sizes
 * are usually quoted.
 */
public final class ByteSizes {
  private ByteSizes() {}

  /** Returns the number of bytes {@code text} denotes; throws {@link IllegalArgumentException} if malformed. */
  public static long parse(String text) {
    String trimmed = text.strip();
    int digitsEnd = 0;
    while (digitsEnd < trimmed.length() && Character.isDigit(trimmed.charAt(digitsEnd))) {
      digitsEnd++;
    }
    if (digitsEnd == 0 || digitsEnd > 15) {
      throw new IllegalArgumentException("not a byte size: '" + text + "' (examples: 4096, 4KB, 1MB)");
    }
    long number = Long.parseLong(trimmed.substring(0, digitsEnd));
    long multiplier =
        switch (trimmed.substring(digitsEnd).strip().toUpperCase(java.util.Locale.ROOT)) {
          case "", "B" -> 1L;
          case "K", "KB", "KIB" -> 1L << 10;
          case "M", "MB", "MIB" -> 1L << 20;
          case "G", "GB", "GIB" -> 1L << 30;
          default ->
              throw new IllegalArgumentException(
                  "unknown size unit in '" + text + "' (use B, KB, MB or GB)");
        };
    return Math.multiplyExact(number, multiplier);
  }

  /** Picocli converter for options typed as a {@code long} number of bytes. */
  public static final class Converter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return parse(value);
    }
  }
}
