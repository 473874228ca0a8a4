package io.vireo.mailbox.imap;

import java.util.List;

/**
 * A sequence set (RFC 9051 section 9, {@code sequence-set}): ranges of message numbers or UIDs,
 * where {@code *} is the largest one in use ({@link #STAR}).
 */
public record SequenceSet(List<Range> ranges) {
  /** {@code *}: resolved against the folder when the set is used. */
  public static final long STAR = Long.MAX_VALUE;

  /** One range; {@code 5:3} is {@code 3:5} (RFC 9051 section 9, {@code seq-range}). */
  public record Range(long from, long to) {
    public Range {
      if (from <= 0 || to <= 0) {
        throw new IllegalArgumentException("sequence numbers start at 1");
      }
      if (from > to) {
        long swap = from;
        from = to;
        to = swap;
      }
    }
  }

  public SequenceSet {
    ranges = List.copyOf(ranges);
    if (ranges.isEmpty()) {
      throw new IllegalArgumentException("an empty sequence set");
    }
  }

  /** True when {@code value} is in the set, with {@code *} standing for {@code largest}. */
  public boolean contains(long value, long largest) {
    for (Range range : ranges) {
      long from = range.from() == STAR ? largest : range.from();
      long to = range.to() == STAR ? largest : range.to();
      if (from > to) {
        long swap = from;
        from = to;
        to = swap;
      }
      if (value >= from && value <= to) {
        return true;
      }
    }
    return false;
  }
}
