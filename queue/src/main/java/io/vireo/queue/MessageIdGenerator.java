package io.vireo.queue;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** Makes unique, time-ordered {@link MessageId}s; one instance per process, safe for concurrent use. */
public final class MessageIdGenerator {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  private final Clock clock;
  private final AtomicLong sequence;
  private final long processSalt;

  public MessageIdGenerator(Clock clock) {
    this.clock = clock;
    SecureRandom random = new SecureRandom();
    this.sequence = new AtomicLong(random.nextInt(1 << 20));
    this.processSalt = random.nextLong() & 0x3FF;
  }

  public MessageId next() {
    long millis = clock.millis();
    // 40 bits of sequence and 10 bits of per-process salt: unique within a process, and two
    // processes started in the same millisecond (a restart) almost never collide either.
    long tail = ((sequence.getAndIncrement() & 0xFF_FFFF_FFFFL) << 10) | processSalt;
    char[] out = new char[20];
    encode(millis, out, 0, 10);
    encode(tail, out, 10, 10);
    return new MessageId(new String(out));
  }

  private static void encode(long value, char[] out, int offset, int length) {
    for (int i = offset + length - 1; i >= offset; i--) {
      out[i] = ALPHABET[(int) (value & 31)];
      value >>>= 5;
    }
  }
}
