package io.vireo.queue.chronicle;

import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Per messages-journal file (roll cycle): how many MESSAGE records pin it, and the oldest
 * events-journal cycle those records may still need. Retention compares the first with the number
 * of live messages pinning the file, and keeps every events file at or above the second. Confined
 * to the journal writer.
 */
final class CycleLedger {
  private final NavigableMap<Integer, Tally> tallies = new TreeMap<>();

  private static final class Tally {
    int records;
    int eventsFloor = Integer.MAX_VALUE;
  }

  /**
   * Notes a MESSAGE record whose content starts in {@code firstCycle} and whose envelope sits in
   * {@code envelopeCycle}; both files (and any between) are needed while the record is the
   * message's latest.
   */
  void recordWritten(int firstCycle, int envelopeCycle, int eventsFloor) {
    for (int cycle = firstCycle; cycle <= envelopeCycle; cycle++) {
      tallies.computeIfAbsent(cycle, c -> new Tally()).records++;
    }
    Tally envelopeTally = tallies.computeIfAbsent(envelopeCycle, c -> new Tally());
    envelopeTally.eventsFloor = Math.min(envelopeTally.eventsFloor, eventsFloor);
  }

  /**
   * Notes a MESSAGE record just appended at {@code position}, current up to event {@code
   * eventsAfter}.
   */
  void recordWritten(Journals journals, JournalPosition position, long eventsAfter) {
    recordWritten(
        journals.cycleOf(position.firstIndex()),
        journals.cycleOf(position.envelopeIndex()),
        journals.eventsFloor(eventsAfter, position.envelopeIndex()));
  }

  int records(int cycle) {
    Tally tally = tallies.get(cycle);
    return tally == null ? 0 : tally.records;
  }

  void forget(int cycle) {
    tallies.remove(cycle);
  }

  /**
   * The oldest events cycle any remaining MESSAGE record needs; {@link Integer#MAX_VALUE} if none.
   */
  int eventsFloor() {
    int floor = Integer.MAX_VALUE;
    for (Tally tally : tallies.values()) {
      floor = Math.min(floor, tally.eventsFloor);
    }
    return floor;
  }
}
