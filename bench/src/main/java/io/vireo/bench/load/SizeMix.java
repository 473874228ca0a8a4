package io.vireo.bench.load;

import io.vireo.bench.cli.ByteSizes;
import picocli.CommandLine.ITypeConverter;

/**
 * A share of the messages sent at another size, written {@code SIZE:SHARE} as in {@code 1MB:1%} or
 * {@code 64KB:0.05}. The share is spread evenly and deterministically over the sequence numbers, so
 * two runs with the same options send the same sizes in the same order.
 *
 * @param size size in bytes of the mixed-in messages
 * @param partsPerMillion their share of all messages, in millionths (exact integer arithmetic)
 */
public record SizeMix(long size, long partsPerMillion) {
  private static final long MILLION = 1_000_000;

  public SizeMix {
    if (size < 1) {
      throw new IllegalArgumentException("mix size must be positive");
    }
    if (partsPerMillion < 1 || partsPerMillion > MILLION) {
      throw new IllegalArgumentException("mix share must be in (0, 100%]");
    }
  }

  /** Parses {@code SIZE:SHARE}, where SHARE is a percentage ({@code 1%}) or a fraction ({@code 0.01}). */
  public static SizeMix parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("expected SIZE:SHARE such as 1MB:1%, got '" + text + "'");
    }
    long size = ByteSizes.parse(text.substring(0, colon));
    String share = text.substring(colon + 1).strip();
    double fraction;
    try {
      fraction =
          share.endsWith("%")
              ? Double.parseDouble(share.substring(0, share.length() - 1)) / 100
              : Double.parseDouble(share);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a share: '" + share + "' (use 1% or 0.01)", e);
    }
    return new SizeMix(size, Math.round(fraction * MILLION));
  }

  /**
   * Whether the message at 0-based position {@code index} of the run has the mixed-in size: exactly
   * those positions where the running total of the share crosses a whole message.
   */
  public boolean appliesTo(long index) {
    // Exact for any run below 9 * 10^12 messages, where the products would overflow.
    return (index + 1) * partsPerMillion / MILLION > index * partsPerMillion / MILLION;
  }

  @Override
  public String toString() {
    return size + "B:" + (partsPerMillion / 10_000.0) + "%";
  }

  /** Picocli converter for {@code --mix}. */
  public static final class Converter implements ITypeConverter<SizeMix> {
    @Override
    public SizeMix convert(String value) {
      return parse(value);
    }
  }
}
