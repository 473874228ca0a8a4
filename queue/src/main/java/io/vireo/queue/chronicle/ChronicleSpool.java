package io.vireo.queue.chronicle;

import io.vireo.queue.DamagedContentException;
import io.vireo.queue.Durability;
import io.vireo.queue.Envelope;
import io.vireo.queue.Histogram;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.Spool;
import io.vireo.queue.SpoolEvent;
import io.vireo.queue.SpoolException;
import io.vireo.queue.SpoolFinding;
import io.vireo.queue.SpoolOptions;
import io.vireo.queue.SpoolStats;
import io.vireo.queue.StoredMessage;
import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool on two Chronicle Queue journals: {@code messages/} (envelopes and content) and {@code
 * events/} (what happened to each recipient), with an in-memory index of the messages still in
 * flight.
 *
 * <p>Writes go through one writer thread that group-commits: it drains every waiting request,
 * appends them, makes them durable with one {@code fdatasync} per journal and then wakes their
 * callers ({@link Durability#GROUP}); {@link Durability#ALWAYS} syncs per message; {@link
 * Durability#NONE} never syncs and exists for benchmarks only: a crash of the machine loses recent
 * messages that were acknowledged.
 *
 * <p>{@link #open} recovers the index by scanning both journals; {@link #openReadOnly} gives a view
 * for inspection tools that never writes, locks or deletes anything, and works beside a running
 * writer or after one was killed. Reads are safe from any number of threads.
 */
public final class ChronicleSpool implements Spool {
  private static final Logger log = LoggerFactory.getLogger(ChronicleSpool.class);

  /**
   * Reads retried when retention moved the message mid-read; each move needs a maintenance pass.
   */
  private static final int MAX_READ_ATTEMPTS = 3;

  private final SpoolDirectory directory;
  private final Journals journals;
  private final SpoolState state;
  private final JournalReader reader;
  private final RecentContents recent;
  private final JournalWriter writer;
  private final FreeSpaceGuard freeSpace;
  private final FileLock lock;
  private final List<SpoolFinding> recoveryFindings;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final LongAdder damagedContentReads = new LongAdder();

  private ChronicleSpool(
      SpoolDirectory directory,
      Journals journals,
      SpoolState state,
      JournalReader reader,
      RecentContents recent,
      JournalWriter writer,
      FreeSpaceGuard freeSpace,
      FileLock lock,
      List<SpoolFinding> recoveryFindings) {
    this.directory = directory;
    this.journals = journals;
    this.state = state;
    this.reader = reader;
    this.recent = recent;
    this.writer = writer;
    this.freeSpace = freeSpace;
    this.lock = lock;
    this.recoveryFindings = List.copyOf(recoveryFindings);
  }

  /**
   * Opens (creating if needed) the spool in {@code options.directory()} for reading and writing,
   * and recovers its state from the journals. One process at a time may hold a spool open this way.
   *
   * @throws SpoolException if the directory cannot be created or locked, or a journal is unreadable
   */
  public static ChronicleSpool open(SpoolOptions options) {
    Objects.requireNonNull(options, "options");
    long started = System.nanoTime();
    SpoolDirectory directory =
        SpoolDirectory.createOrOpen(options.directory(), options.rollCycle());
    if (!directory.rollCycle().equals(options.rollCycle())) {
      log.info(
          "spool {} keeps the roll cycle {} it was created with (configured: {})",
          directory.root(),
          directory.rollCycle(),
          options.rollCycle());
    }
    FileLock lock = directory.lockForWriting();
    Journals journals = null;
    RecordWriter records = null;
    try {
      Clock clock = options.clock();
      RecoveryScan.Result recovered = recover(directory, clock);
      journals = Journals.open(directory, clock::millis, false);
      JournalReader reader = new JournalReader(journals);
      records = new RecordWriter(journals, directory);
      FreeSpaceGuard freeSpace =
          new FreeSpaceGuard(directory.root(), options.minFreeBytes(), clock);
      RecentContents recent = new RecentContents(options.contentCacheBytes());
      JournalWriter writer =
          new JournalWriter(
              "spool-writer " + directory.root().getFileName(),
              journals,
              records,
              reader,
              recovered,
              options.durability(),
              options.writeTimeout(),
              options.maintenancePeriod(),
              freeSpace,
              recent);
      writer.start();
      log.info(
          "spool {} open: {} pending message(s) recovered from {} message and {} event record(s) in"
              + " {} ms",
          directory.root(),
          recovered.state().liveCount(),
          recovered.messageRecords(),
          recovered.eventRecords(),
          (System.nanoTime() - started) / 1_000_000);
      return new ChronicleSpool(
          directory,
          journals,
          recovered.state(),
          reader,
          recent,
          writer,
          freeSpace,
          lock,
          recovered.findings());
    } catch (RuntimeException e) {
      if (records != null) {
        records.close();
      }
      if (journals != null) {
        journals.close();
      }
      release(lock);
      throw e;
    }
  }

  /**
   * What recovery found damaged when this spool was opened (and, for a writable spool, repaired and
   * quarantined); empty for a sound spool. Published as a metric and in the log.
   */
  public List<SpoolFinding> recoveryFindings() {
    return recoveryFindings;
  }

  /**
   * Recovery before the journals are opened for appending: finishes an interrupted repair, scans
   * the journal files, and repairs what the scan found, so that the appender never writes behind
   * damage. A lost events journal stops the start instead: going on would repeat deliveries
   * without anybody having decided that.
   */
  private static RecoveryScan.Result recover(SpoolDirectory directory, Clock clock) {
    SpoolRepair.finishInterrupted(directory);
    var rollCycle = Journals.rollCycle(directory);
    RecoveryScan.Result scan = RecoveryScan.run(directory, rollCycle);
    if (scan.clean()) {
      return scan;
    }
    for (SpoolFinding finding : scan.findings()) {
      log.warn("spool {}: {}", directory.root(), finding.describe());
    }
    if (scan.eventsLost()) {
      throw new SpoolException(
          "spool "
              + directory.root()
              + ": events are missing, so recipients already delivered would be sent again; run"
              + " 'vireo spool check --repair' to accept that and start again");
    }
    SpoolRepair.Outcome outcome = SpoolRepair.repair(directory, rollCycle, scan, clock);
    log.warn(
        "spool {} repaired: {} damaged range(s) and {} file(s) quarantined in {}; {}",
        directory.root(),
        outcome.rangesQuarantined(),
        outcome.filesMovedAside(),
        outcome.quarantine(),
        outcome.rebuilt()
            ? "journals rewritten with "
                + outcome.messagesKept()
                + " queued message(s) intact and "
                + outcome.messagesFailed()
                + " whose content was lost (to be bounced)"
            : "journals kept");
    RecoveryScan.Result again = RecoveryScan.run(directory, rollCycle);
    if (!again.clean()) {
      throw new SpoolException(
          "spool "
              + directory.root()
              + " is still damaged after a repair: "
              + again.findings().getFirst().describe());
    }
    return again.with(scan.findings(), again.damagedContent());
  }

  /**
   * Verifies an existing spool offline: both journals record by record (structure, record
   * checksums), every queued message's content against its CRC-32C, files that do not belong, and
   * lost events. With {@code repair}, also quarantines what is damaged and rewrites the journals so
   * that the relay starts on them; that needs the writer's lock, so the relay must be stopped.
   *
   * @throws SpoolException if there is no spool there, or (with repair) it is in use
   */
  public static SpoolCheckReport check(Path directory, boolean repair, Clock clock) {
    Objects.requireNonNull(directory, "directory");
    SpoolDirectory layout = SpoolDirectory.existing(directory);
    FileLock lock = repair ? layout.lockForWriting() : null;
    try {
      if (repair) {
        SpoolRepair.finishInterrupted(layout);
      }
      var rollCycle = Journals.rollCycle(layout);
      RecoveryScan.Result scan = RecoveryScan.run(layout, rollCycle).withContentVerified(layout, rollCycle);
      String repaired = null;
      if (repair && !scan.clean()) {
        SpoolRepair.Outcome outcome =
            SpoolRepair.repair(layout, rollCycle, scan, clock, scan.needsRebuild() || scan.eventsLost());
        repaired =
            "quarantined "
                + outcome.rangesQuarantined()
                + " damaged range(s) and "
                + outcome.filesMovedAside()
                + " file(s) in "
                + outcome.quarantine()
                + (outcome.rebuilt()
                    ? "; journals rewritten: "
                        + outcome.messagesKept()
                        + " queued message(s) kept, "
                        + outcome.messagesFailed()
                        + " with lost content failed (the relay bounces them)"
                    : "");
      }
      long pendingRecipients = 0;
      for (SpoolEntry entry : scan.state().liveEntries()) {
        pendingRecipients +=
            entry.statuses().stream().filter(s -> !s.state().isFinal()).count();
      }
      return new SpoolCheckReport(
          layout.root(),
          scan.messageRecords(),
          scan.eventRecords(),
          scan.state().liveCount(),
          pendingRecipients,
          scan.findings(),
          repaired);
    } finally {
      release(lock);
    }
  }

  /**
   * Opens an existing spool for inspection ({@code queue list}, {@code queue show}): its state as
   * of now, never updated afterwards. It takes no lock and never writes or deletes, so it works
   * while another process owns the spool and after that process was killed. {@link #store}, {@link
   * #record} and {@link #maintain} throw {@link SpoolException}.
   */
  public static ChronicleSpool openReadOnly(Path directory) {
    Objects.requireNonNull(directory, "directory");
    SpoolDirectory layout = SpoolDirectory.existing(directory);
    RecoveryScan.Result recovered = RecoveryScan.run(layout, Journals.rollCycle(layout));
    for (SpoolFinding finding : recovered.findings()) {
      log.warn("spool {}: {} (read-only: left as it is)", layout.root(), finding.describe());
    }
    Journals journals = Journals.open(layout, System::currentTimeMillis, true);
    try {
      return new ChronicleSpool(
          layout,
          journals,
          recovered.state(),
          new JournalReader(journals),
          new RecentContents(0),
          null,
          null,
          null,
          recovered.findings());
    } catch (RuntimeException e) {
      journals.close();
      throw e;
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws io.vireo.queue.SpoolFullException when the file system is below the configured free
   *     space
   */
  @Override
  public void store(Envelope envelope, MessageContent content) {
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(content, "content");
    JournalWriter w = writable();
    freeSpace.reserve(content.size());
    try {
      w.store(envelope, content, JournalReader.crcOf(content));
    } finally {
      freeSpace.written(content.size());
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Events for a recipient that is already delivered or bounced change nothing and are not
   * written.
   *
   * @throws IllegalArgumentException if the message or the recipient is not in the spool
   */
  @Override
  public void record(SpoolEvent event) {
    JournalWriter w = writable();
    if (applies(event)) {
      w.record(event);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The writer applies it like {@link #record} with its next batch, a moment later; {@link #close}
   * still writes and syncs every event handed over before it.
   */
  @Override
  public void recordEventually(SpoolEvent event) {
    JournalWriter w = writable();
    if (applies(event)) {
      w.recordEventually(event);
    }
  }

  /** Appended, not synced: the writer's next batch goes past this point before it syncs. */
  @Override
  public void awaitRecordedEventually() {
    writable().appended();
  }

  /**
   * Applies an event to the in-memory state; false when it changes nothing (the recipient is already
   * final) and so need not be written.
   *
   * @throws IllegalArgumentException if the message or the recipient is not in the spool
   */
  private boolean applies(SpoolEvent event) {
    Objects.requireNonNull(event, "event");
    SpoolEntry entry =
        state
            .get(event.messageId())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "message " + event.messageId() + " is not in the spool"));
    if (!entry.hasRecipient(event.recipient())) {
      throw new IllegalArgumentException(
          "message " + event.messageId() + " has no recipient " + event.recipient());
    }
    if (entry.apply(event) == entry) {
      log.debug("ignoring {} for a recipient that is already final", event);
      return false;
    }
    return true;
  }

  /**
   * {@inheritDoc}
   *
   * <p>A message stored moments ago comes from memory (see {@link
   * SpoolOptions#contentCacheBytes()}); otherwise its content is read from the journal and checked
   * against the CRC-32C stored with it. For an id the in-memory index
   * does not hold (finished long ago, or unknown) this scans the journals: about a second per GB.
   *
   * @throws SpoolException if the message's records are damaged
   */
  @Override
  public Optional<StoredMessage> read(MessageId id) {
    Objects.requireNonNull(id, "id");
    ensureOpen();
    // Retention may carry the message forward and delete its old file while we read: look again.
    for (int attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++) {
      Optional<SpoolEntry> located = locate(id);
      if (located.isEmpty()) {
        return Optional.empty();
      }
      SpoolEntry entry = located.get();
      Optional<MessageContent> cached = recent.get(id);
      if (cached.isPresent()) {
        return Optional.of(new StoredMessage(entry.envelope(), cached.get()));
      }
      Optional<MessageContent> content;
      try {
        content = reader.readContent(entry);
      } catch (DamagedContentException e) {
        damagedContentReads.increment();
        throw e;
      } catch (RuntimeException e) {
        if (moved(entry)) {
          continue;
        }
        throw e instanceof SpoolException spoolException
            ? spoolException
            : new SpoolException("reading message " + id + " from the spool failed: " + e, e);
      }
      if (content.isPresent()) {
        return Optional.of(new StoredMessage(entry.envelope(), content.get()));
      }
      if (!moved(entry)) {
        return Optional.empty();
      }
    }
    throw new SpoolException("message " + id + " kept moving while being read; try again");
  }

  /**
   * {@inheritDoc}
   *
   * <p>Knows every pending message and, in memory, the 10,000 most recently finished ones; for
   * other ids it scans the journals (about a second per GB), so it also finds any finished message
   * whose journal file retention has not deleted yet.
   */
  @Override
  public Optional<QueuedMessage> find(MessageId id) {
    Objects.requireNonNull(id, "id");
    ensureOpen();
    return locate(id).map(SpoolEntry::toQueuedMessage);
  }

  /** {@inheritDoc} Builds and sorts a fresh list on every call. */
  @Override
  public List<QueuedMessage> pending() {
    ensureOpen();
    return state.pending();
  }

  @Override
  public void onFinished(java.util.function.Consumer<MessageId> listener) {
    state.onFinished(listener);
  }

  @Override
  public List<QueuedMessage> pendingPage(MessageId after, int max) {
    if (max <= 0) {
      throw new IllegalArgumentException("max must be above 0: " + max);
    }
    ensureOpen();
    return state.pendingPage(after, max);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A read-only spool reports itself not writable, with no free-space reading and no syncs.
   */
  @Override
  public SpoolStats stats() {
    if (writer == null) {
      Histogram.Snapshot none = new Histogram(1).snapshot();
      return new SpoolStats(
          state.liveCount(),
          0,
          0,
          false,
          none,
          none,
          recoveryFindings.size(),
          damagedContentReads.sum());
    }
    long usable = freeSpace.usable();
    return new SpoolStats(
        state.liveCount(),
        usable,
        freeSpace.minFreeBytes(),
        !closed.get() && usable >= freeSpace.minFreeBytes(),
        writer.syncNanos(),
        writer.syncBatch(),
        recoveryFindings.size(),
        damagedContentReads.sum());
  }

  /**
   * Runs a retention pass now on the writer thread and waits for it: deletes journal files that
   * hold only finished messages, carrying still-pending ones forward first. The spool also does
   * this every {@link SpoolOptions#maintenancePeriod()}.
   */
  public void maintain() {
    writable().maintain();
  }

  /** How many message contents are held in memory now (for tests and inspection). */
  long cachedContents() {
    return recent.size();
  }

  /** The directory this spool lives in. */
  public Path directory() {
    return directory.root();
  }

  /** True for a spool from {@link #openReadOnly}. */
  public boolean isReadOnly() {
    return writer == null;
  }

  /** Completes queued writes, stops the writer and maintenance, closes the journals. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (writer != null) {
        writer.close();
      }
    } finally {
      try {
        journals.close();
      } finally {
        if (lock != null) {
          release(lock);
        }
      }
    }
  }

  private boolean moved(SpoolEntry entry) {
    return state
        .get(entry.id())
        .map(now -> now.envelopeIndex() != entry.envelopeIndex())
        .orElse(false);
  }

  private Optional<SpoolEntry> locate(MessageId id) {
    Optional<SpoolEntry> known = state.get(id);
    return known.isPresent() ? known : reader.scanFor(id);
  }

  private JournalWriter writable() {
    if (writer == null) {
      throw new SpoolException("the spool at " + directory.root() + " is open read-only");
    }
    ensureOpen();
    return writer;
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new SpoolException("the spool at " + directory.root() + " is closed");
    }
  }

  private static void release(FileLock lock) {
    if (lock == null) {
      return;
    }
    try {
      lock.release();
      lock.channel().close();
    } catch (IOException e) {
      log.warn("releasing the spool lock failed: {}", e.toString());
    }
  }
}
