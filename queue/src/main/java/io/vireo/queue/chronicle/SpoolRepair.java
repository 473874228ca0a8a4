package io.vireo.queue.chronicle;

import io.vireo.queue.MessageContent;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.SpoolException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.RollCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repairs a damaged spool the way Postfix moves a damaged queue file to its corrupt queue: the
 * damaged bytes and the files that are not journal cycles go to {@code quarantine/<time>/}, and
 * journals with damage inside are rewritten from what still reads, so that nothing is ever appended
 * behind damage where the next recovery could not see it.
 *
 * <p>A rewrite builds fresh journals in {@code rebuild/} (every queued message with its recipients'
 * current states and its content, checked against its CRC), makes them durable, marks them
 * complete and only then swaps them in, moving the old journals to quarantine. A crash before the
 * mark discards the rebuild; after it, the next open finishes the swap ({@link
 * #finishInterrupted}).
 */
final class SpoolRepair {
  private static final Logger log = LoggerFactory.getLogger(SpoolRepair.class);
  private static final String REBUILD = "rebuild";
  private static final String COMPLETE = "COMPLETE";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** What a message whose content is lost gets, so its sender is told instead of left waiting. */
  static final String CONTENT_LOST_REPLY =
      "554 5.3.0 message content was damaged in the spool and could not be recovered";

  /**
   * What a repair did.
   *
   * @param messagesKept queued messages written to the new journals with their content
   * @param messagesFailed queued messages whose content was lost: their recipients are failed, so
   *     the relay bounces them to the sender
   * @param rangesQuarantined damaged byte ranges copied to quarantine
   * @param filesMovedAside files moved out of the journal directories
   * @param quarantine where it all went
   */
  record Outcome(
      int messagesKept,
      int messagesFailed,
      int rangesQuarantined,
      int filesMovedAside,
      boolean rebuilt,
      Path quarantine) {}

  private SpoolRepair() {}

  /** Finishes a rewrite that was marked complete, or discards one that was not. */
  static void finishInterrupted(SpoolDirectory directory) {
    Path rebuild = directory.root().resolve(REBUILD);
    if (!Files.exists(rebuild)) {
      return;
    }
    try {
      Path complete = rebuild.resolve(COMPLETE);
      if (Files.exists(complete)) {
        Path quarantine =
            directory.root().resolve(Files.readString(complete, StandardCharsets.UTF_8).strip());
        log.warn("spool {}: finishing a journal rewrite interrupted by a stop", directory.root());
        swap(directory, rebuild, quarantine);
      } else {
        log.warn("spool {}: discarding an unfinished journal rewrite", directory.root());
        deleteTree(rebuild);
      }
    } catch (IOException e) {
      throw new SpoolException(
          "cannot finish the interrupted repair in " + rebuild + ": " + e.getMessage(), e);
    }
  }

  /** Quarantines what {@code scan} found damaged and rewrites the journals if needed. */
  static Outcome repair(
      SpoolDirectory directory, RollCycle rollCycle, RecoveryScan.Result scan, Clock clock) {
    return repair(directory, rollCycle, scan, clock, scan.needsRebuild());
  }

  /**
   * As {@link #repair(SpoolDirectory, RollCycle, RecoveryScan.Result, Clock)}, rewriting the
   * journals also when {@code rewrite} says so: after a lost events journal, the rewritten message
   * records carry each recipient's state and no longer refer to events that are gone.
   */
  static Outcome repair(
      SpoolDirectory directory,
      RollCycle rollCycle,
      RecoveryScan.Result scan,
      Clock clock,
      boolean rewrite) {
    Path quarantine = newQuarantine(directory, clock);
    try {
      Files.createDirectories(quarantine);
      int ranges = copyDamagedRanges(directory, scan, quarantine);
      int moved = moveAside(directory, scan.invalidFiles(), quarantine);
      int kept = 0;
      int failed = 0;
      if (rewrite) {
        Rewritten rewritten = rebuild(directory, rollCycle, scan, clock, quarantine);
        kept = rewritten.kept();
        failed = rewritten.failed();
      }
      fsync(directory.root());
      return new Outcome(kept, failed, ranges, moved, rewrite, quarantine);
    } catch (IOException e) {
      throw new SpoolException(
          "cannot repair the spool at "
              + directory.root()
              + ": "
              + e.getMessage()
              + " (free space or permissions?); it was left as it was",
          e);
    }
  }

  private static Path newQuarantine(SpoolDirectory directory, Clock clock) {
    String stamp = STAMP.format(clock.instant());
    Path candidate = directory.quarantine().resolve(stamp);
    for (int n = 2; Files.exists(candidate); n++) {
      candidate = directory.quarantine().resolve(stamp + "-" + n);
    }
    return candidate;
  }

  private static int copyDamagedRanges(
      SpoolDirectory directory, RecoveryScan.Result scan, Path quarantine) throws IOException {
    int count = 0;
    for (RecoveryScan.DamagedRange range : scan.damagedRanges()) {
      Path records = quarantine.resolve("records");
      Files.createDirectories(records);
      String journal = range.file().getParent().getFileName().toString();
      Path target =
          records.resolve(journal + "-" + range.file().getFileName() + "-at-" + range.from() + ".bin");
      long length = Math.min(range.to() - range.from(), CycleFileWalker.MAX_DOCUMENT * 4L);
      try (FileWindow window = new FileWindow(range.file())) {
        Files.write(target, window.copy(range.from(), range.from() + length));
      }
      count++;
    }
    return count;
  }

  private static int moveAside(SpoolDirectory directory, List<Path> files, Path quarantine)
      throws IOException {
    int count = 0;
    for (Path file : files) {
      String journal = file.getParent().getFileName().toString();
      Path target = quarantine.resolve(journal).resolve(file.getFileName());
      Files.createDirectories(target.getParent());
      Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
      fsync(file.getParent());
      log.warn("spool {}: moved {} aside to {}", directory.root(), file, target);
      count++;
    }
    return count;
  }

  /** What a rewrite carried over: messages with their content, and those whose content was lost. */
  private record Rewritten(int kept, int failed) {}

  private static Rewritten rebuild(
      SpoolDirectory directory,
      RollCycle rollCycle,
      RecoveryScan.Result scan,
      Clock clock,
      Path quarantine)
      throws IOException {
    Path rebuildRoot = directory.root().resolve(REBUILD);
    if (Files.exists(rebuildRoot)) {
      deleteTree(rebuildRoot);
    }
    SpoolDirectory target = SpoolDirectory.createOrOpen(rebuildRoot, directory.rollCycle());
    ContentSalvage salvage =
        ContentSalvage.locate(
            JournalFiles.list(directory.messages(), rollCycle),
            id -> scan.state().live(id) != null);
    List<SpoolEntry> live = new ArrayList<>(scan.state().liveEntries());
    live.sort(
        Comparator.comparing((SpoolEntry e) -> e.envelope().arrival()).thenComparing(SpoolEntry::id));
    int kept = 0;
    int failed = 0;
    try (Journals journals = Journals.open(target, clock::millis, false);
        RecordWriter writer = new RecordWriter(journals, target)) {
      for (SpoolEntry entry : live) {
        var content =
            scan.damagedContent().containsKey(entry.id())
                ? java.util.Optional.<MessageContent>empty()
                : salvage.contentOf(entry);
        if (content.isPresent()) {
          writer.appendMessage(
              entry.envelope(), entry.snapshot(), ChronicleIndexes.NONE, content.get(), entry.crc());
          kept++;
        } else {
          MessageContent empty = MessageContent.of(new byte[0]);
          writer.appendMessage(
              entry.envelope(),
              failedStatuses(entry),
              ChronicleIndexes.NONE,
              empty,
              JournalReader.crcOf(empty));
          log.warn(
              "spool {}: message {} from <{}> lost its content to damage; its recipients are"
                  + " failed so the sender is told",
              directory.root(),
              entry.id(),
              entry.envelope().sender());
          failed++;
        }
      }
      writer.syncMessages();
      writer.syncEvents();
    }
    fsync(target.messages());
    fsync(target.events());
    Path complete = rebuildRoot.resolve(COMPLETE);
    Files.writeString(
        complete, directory.root().relativize(quarantine).toString(), StandardCharsets.UTF_8);
    try (FileChannel channel = FileChannel.open(complete, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    fsync(rebuildRoot);
    swap(directory, rebuildRoot, quarantine);
    return new Rewritten(kept, failed);
  }

  private static List<RecipientStatus> failedStatuses(SpoolEntry entry) {
    List<RecipientStatus> statuses = new ArrayList<>();
    for (RecipientStatus status : entry.statuses()) {
      statuses.add(
          status.state().isFinal()
              ? status
              : new RecipientStatus(
                  status.recipient(),
                  RecipientState.FAILED,
                  status.attempts(),
                  null,
                  CONTENT_LOST_REPLY));
    }
    return List.copyOf(statuses);
  }

  /**
   * Moves the old journals to quarantine and the rebuilt ones into place; every step checks
   * whether it was done already, so a second run after a crash completes the first.
   */
  private static void swap(SpoolDirectory directory, Path rebuildRoot, Path quarantine)
      throws IOException {
    Path journals = quarantine.resolve("journals");
    Files.createDirectories(journals);
    // The rebuilt events journal starts empty on purpose (states are in the message records).
    Files.deleteIfExists(directory.eventsMarker());
    for (String name : List.of("messages", "events")) {
      Path rebuilt = rebuildRoot.resolve(name);
      if (!Files.exists(rebuilt)) {
        continue;
      }
      Path current = directory.root().resolve(name);
      if (Files.exists(current)) {
        Files.move(current, journals.resolve(name), StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(rebuilt, current, StandardCopyOption.ATOMIC_MOVE);
    }
    fsync(directory.root());
    deleteTree(rebuildRoot);
    fsync(directory.root());
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static void fsync(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return;
    }
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
