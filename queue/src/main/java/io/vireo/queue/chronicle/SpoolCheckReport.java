package io.vireo.queue.chronicle;

import io.vireo.queue.SpoolFinding;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link ChronicleSpool#check} found in a spool and, with repair, what it did.
 *
 * @param directory the spool
 * @param messageRecords MESSAGE records that read
 * @param eventRecords EVENT records that read
 * @param queuedMessages messages with a recipient not yet final
 * @param pendingRecipients their recipients not yet final
 * @param findings damage found, one line each; empty for a sound spool
 * @param repair what a repair did (one line), or null when none was asked for or needed
 */
public record SpoolCheckReport(
    Path directory,
    long messageRecords,
    long eventRecords,
    int queuedMessages,
    long pendingRecipients,
    List<SpoolFinding> findings,
    String repair) {

  public SpoolCheckReport {
    findings = List.copyOf(findings);
  }

  /** Whether the spool, as it was found, is damaged. */
  public boolean damaged() {
    return !findings.isEmpty();
  }
}
