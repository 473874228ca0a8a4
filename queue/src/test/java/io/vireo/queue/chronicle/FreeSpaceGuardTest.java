package io.vireo.queue.chronicle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.queue.SpoolFullException;
import io.vireo.queue.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FreeSpaceGuardTest {
  private static final long MIB = 1L << 20;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-03T08:00:00Z"));
  private final AtomicLong disk = new AtomicLong(100 * MIB);
  private final AtomicInteger readings = new AtomicInteger();
  private final FreeSpaceGuard guard =
      new FreeSpaceGuard(
          Path.of("spool"),
          () -> {
            readings.incrementAndGet();
            return disk.get();
          },
          64 * MIB,
          clock);

  @Test
  void messagesInFlightCountAgainstTheFloorEvenWhenTheDiskIsAskedAgain() {
    // Let through and not yet written: the disk does not show them, the guard does.
    for (int i = 0; i < 36; i++) {
      guard.reserve(MIB);
    }
    assertThatThrownBy(() -> guard.reserve(MIB))
        .isInstanceOf(SpoolFullException.class)
        .hasMessageContaining("has 64 MiB usable; a 1048576-byte message would leave less than"
            + " the required 64 MiB free");
    assertThat(guard.usable()).isEqualTo(64 * MIB);
  }

  @Test
  void writtenBytesCountUntilTheNextReading() {
    guard.reserve(30 * MIB);
    guard.written(30 * MIB);
    assertThat(guard.usable()).as("the disk may not show them yet").isEqualTo(70 * MIB);
    disk.addAndGet(-30 * MIB);
    clock.advance(Duration.ofSeconds(1));
    assertThat(guard.usable()).as("in the new reading, counted once").isEqualTo(70 * MIB);
    guard.reserve(6 * MIB);
    assertThat(guard.usable()).isEqualTo(64 * MIB);
  }

  @Test
  void aRefusalAsksTheDiskAgainSoFreedSpaceIsUsedAtOnce() {
    guard.reserve(36 * MIB);
    guard.written(36 * MIB);
    disk.addAndGet(-36 * MIB);
    assertThatThrownBy(() -> guard.reserve(MIB)).isInstanceOf(SpoolFullException.class);

    disk.addAndGet(50 * MIB); // an operator deletes files; no time passes
    guard.reserve(MIB);
    assertThat(guard.usable()).isEqualTo(114 * MIB - MIB);
  }

  @Test
  void aRefusedMessageTakesNothingFromTheEstimate() {
    assertThatThrownBy(() -> guard.reserve(40 * MIB)).isInstanceOf(SpoolFullException.class);
    assertThat(guard.usable()).isEqualTo(100 * MIB);
    guard.reserve(36 * MIB);
  }

  @Test
  void theDiskIsReadAtMostOnceASecondWhileThereIsRoom() {
    for (int i = 0; i < 1_000; i++) {
      guard.reserve(1_000);
      guard.written(1_000);
    }
    assertThat(readings).hasValue(1);
  }
}
