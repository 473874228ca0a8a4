package io.vireo.queue.chronicle;

import io.vireo.queue.SpoolException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.RollingResourcesCache;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/**
 * The spool's two Chronicle queues, {@code messages/} and {@code events/}, and their cycle files.
 */
final class Journals implements AutoCloseable {
  private static final Map<Duration, RollCycles> ROLL_CYCLES =
      Map.of(
          Duration.ofMinutes(5), RollCycles.FIVE_MINUTELY,
          Duration.ofMinutes(10), RollCycles.TEN_MINUTELY,
          Duration.ofMinutes(20), RollCycles.TWENTY_MINUTELY,
          Duration.ofMinutes(30), RollCycles.HALF_HOURLY,
          Duration.ofHours(1), RollCycles.FAST_HOURLY,
          Duration.ofHours(2), RollCycles.TWO_HOURLY,
          Duration.ofHours(4), RollCycles.FOUR_HOURLY,
          Duration.ofHours(6), RollCycles.SIX_HOURLY,
          Duration.ofDays(1), RollCycles.FAST_DAILY);

  private final SingleChronicleQueue messages;
  private final SingleChronicleQueue events;
  private final RollCycle rollCycle;

  private Journals(
      SingleChronicleQueue messages, SingleChronicleQueue events, RollCycle rollCycle) {
    this.messages = messages;
    this.events = events;
    this.rollCycle = rollCycle;
  }

  /** Chronicle's roll cycle for the spool's configured length. */
  static RollCycle rollCycle(SpoolDirectory directory) {
    RollCycle rollCycle = ROLL_CYCLES.get(directory.rollCycle());
    if (rollCycle == null) {
      throw new SpoolException(
          "the spool at "
              + directory.root()
              + " uses an unsupported roll cycle "
              + directory.rollCycle());
    }
    return rollCycle;
  }

  static Journals open(SpoolDirectory directory, TimeProvider time, boolean readOnly) {
    RollCycle rollCycle = rollCycle(directory);
    SingleChronicleQueue messages = build(directory.messages(), rollCycle, time, readOnly);
    try {
      SingleChronicleQueue events = build(directory.events(), rollCycle, time, readOnly);
      return new Journals(messages, events, rollCycle);
    } catch (RuntimeException e) {
      messages.close();
      throw e;
    }
  }

  private static SingleChronicleQueue build(
      Path path, RollCycle rollCycle, TimeProvider time, boolean readOnly) {
    try {
      return SingleChronicleQueueBuilder.binary(path)
          .rollCycle(rollCycle)
          .timeProvider(time)
          // Durability is JournalSync's fdatasync, not Chronicle's msync: see JournalSync for why.
          .syncMode(SyncMode.NONE)
          .readOnly(readOnly)
          .build();
    } catch (RuntimeException e) {
      throw new SpoolException("cannot open the journal " + path + ": " + e, e);
    }
  }

  SingleChronicleQueue messages() {
    return messages;
  }

  SingleChronicleQueue events() {
    return events;
  }

  /** The roll cycle (journal file) an index belongs to. */
  int cycleOf(long index) {
    return rollCycle.toCycle(index);
  }

  RollCycle rollCycle() {
    return rollCycle;
  }

  /**
   * The oldest events cycle a MESSAGE record at {@code envelopeIndex}, current up to event {@code
   * eventsAfter}, may need. Both journals roll on the same clock, so every later event for that
   * message sits in the record's own cycle or after it, and after the cycle of {@code eventsAfter}
   * whatever the clock did.
   */
  int eventsFloor(long eventsAfter, long envelopeIndex) {
    return eventsFloor(rollCycle, eventsAfter, envelopeIndex);
  }

  static int eventsFloor(RollCycle rollCycle, long eventsAfter, long envelopeIndex) {
    int envelopeCycle = rollCycle.toCycle(envelopeIndex);
    return eventsAfter == ChronicleIndexes.NONE
        ? envelopeCycle
        : Math.max(rollCycle.toCycle(eventsAfter), envelopeCycle);
  }

  /** The cycles that have a file in {@code queue}'s directory, as of now. */
  static NavigableSet<Integer> cycles(SingleChronicleQueue queue) {
    queue.refreshDirectoryListing();
    NavigableSet<Integer> cycles = new TreeSet<>();
    int first = queue.firstCycle();
    int last = queue.lastCycle();
    if (first == Integer.MAX_VALUE || last == Integer.MIN_VALUE || first > last) {
      return cycles;
    }
    for (Long cycle : queue.listCyclesBetween(first, last)) {
      cycles.add(cycle.intValue());
    }
    return cycles;
  }

  /**
   * Deletes the file of one cycle; true if it existed. Chronicle's directory listing is refreshed.
   */
  static boolean deleteCycle(SingleChronicleQueue queue, int cycle) throws IOException {
    RollingResourcesCache names =
        new RollingResourcesCache(
            queue.rollCycle(),
            queue.epoch(),
            name -> new File(queue.file(), name + SingleChronicleQueue.SUFFIX),
            file ->
                file.getName()
                    .substring(0, file.getName().length() - SingleChronicleQueue.SUFFIX.length()));
    boolean deleted = Files.deleteIfExists(names.resourceFor(cycle).path.toPath());
    queue.refreshDirectoryListing();
    return deleted;
  }

  @Override
  public void close() {
    try {
      messages.close();
    } finally {
      events.close();
    }
  }
}
