package io.vireo.queue;

/**
 * Something a scan of the spool's journals found wrong: what, where, and what it costs.
 *
 * @param kind what was found
 * @param journal {@code messages} or {@code events}
 * @param file the file it concerns, relative to the spool directory
 * @param position byte offset in the file where the damage starts (0 for whole files)
 * @param length bytes concerned (the whole file for whole-file findings)
 * @param detail one line for the operator
 */
public record SpoolFinding(
    Kind kind, String journal, String file, long position, long length, String detail) {
  /** The kinds of finding. */
  public enum Kind {
    /** Bytes inside a cycle file that do not read as records (torn, zeroed, flipped). */
    DAMAGED_RECORDS,
    /** A message whose envelope is intact but whose content is missing or fails its CRC. */
    DAMAGED_CONTENT,
    /** A file named like a cycle that is not one (junk, zeros, a bad copy). */
    INVALID_CYCLE,
    /** A file in a journal directory that does not belong there. */
    STRAY_FILE,
    /** Events the message records refer to are gone: recipients fall back to pending. */
    EVENTS_JOURNAL_LOST
  }

  /** One line naming the file, the position and the problem. */
  public String describe() {
    return switch (kind) {
      case INVALID_CYCLE, STRAY_FILE, EVENTS_JOURNAL_LOST -> file + ": " + detail;
      case DAMAGED_RECORDS, DAMAGED_CONTENT ->
          file + " at byte " + position + " (" + length + " bytes): " + detail;
    };
  }
}
