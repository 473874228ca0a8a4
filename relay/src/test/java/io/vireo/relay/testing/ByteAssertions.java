package io.vireo.relay.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;

/** Byte-for-byte comparison whose failure shows where two messages part, not megabytes of both. */
public final class ByteAssertions {
  private ByteAssertions() {}

  public static void assertSameBytes(byte[] actual, byte[] expected) {
    int mismatch = Arrays.mismatch(actual, expected);
    if (mismatch >= 0) {
      int from = Math.max(0, mismatch - 40);
      throw new AssertionError(
          "delivered %d bytes, sent %d; they differ at byte %d:%n  delivered: %s%n  sent:      %s"
              .formatted(
                  actual.length,
                  expected.length,
                  mismatch,
                  excerpt(actual, from),
                  excerpt(expected, from)));
    }
  }

  private static String excerpt(byte[] bytes, int from) {
    int to = Math.min(bytes.length, from + 80);
    return new String(bytes, from, Math.max(0, to - from), UTF_8)
        .replace("\r", "\\r")
        .replace("\n", "\\n");
  }
}
