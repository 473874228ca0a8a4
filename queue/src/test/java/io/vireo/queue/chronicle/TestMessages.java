package io.vireo.queue.chronicle;

import io.vireo.queue.BodyType;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageId;
import io.vireo.queue.MessageIdGenerator;
import io.vireo.queue.Recipient;
import io.vireo.queue.Ret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Builds envelopes and contents for spool tests. */
final class TestMessages {
  private final MessageIdGenerator ids;
  private final Clock clock;

  TestMessages(Clock clock) {
    this.clock = clock;
    this.ids = new MessageIdGenerator(clock);
  }

  MessageId nextId() {
    return ids.next();
  }

  Envelope envelope(String... recipients) {
    return envelope(nextId(), recipients);
  }

  Envelope envelope(MessageId id, String... recipients) {
    List<Recipient> list = Arrays.stream(recipients).map(Recipient::of).toList();
    return new Envelope(
        id,
        "sender@example.org",
        list,
        BodyType.EIGHT_BIT_MIME,
        false,
        Ret.UNSPECIFIED,
        null,
        clock.instant(),
        "127.0.0.1",
        "client.example.org");
  }

  static MessageContent text(String text) {
    return MessageContent.of(text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code size} pseudo-random bytes from {@code seed}, written the way an SMTP session would. */
  static MessageContent random(long size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    MessageContent.Builder builder = new MessageContent.Builder();
    byte[] block = new byte[8192];
    long left = size;
    while (left > 0) {
      int n = (int) Math.min(block.length, left);
      for (int i = 0; i < n; i++) {
        block[i] = (byte) random.nextInt(256);
      }
      builder.write(block, 0, n);
      left -= n;
    }
    return builder.build();
  }

  static byte[] sha256(MessageContent content) {
    MessageDigest digest = sha256();
    for (var chunk : content.chunks()) {
      digest.update(chunk);
    }
    return digest.digest();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
