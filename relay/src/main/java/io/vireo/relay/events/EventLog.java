package io.vireo.relay.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import io.vireo.queue.MessageId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event log: JSON lines in size-bounded segments ({@code events-0000000001.jsonl}, ...) in
 * one directory. Appends come from many threads and are written under one lock straight into the
 * file (so a killed process loses none: they are in the page cache); a sync thread makes them
 * durable ({@code fdatasync}) every {@link #SYNC_INTERVAL} while there is something new. Each
 * event gets the id {@code <log id>-<sequence>}: the log id is random, made once with the
 * directory, and the sequence goes on across restarts, so an id is never given twice.
 *
 * <p>The log is also the webhooks' durable queue: each reads it from its own {@link Position}.
 * Segments are deleted oldest first once the log is larger than its bound, whoever has read them.
 */
public final class EventLog implements EventHistory, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventLog.class);
  static final Duration SYNC_INTERVAL = Duration.ofMillis(100);
  private static final String ID_FILE = "log.id";
  private static final int READ_CHUNK = 256 * 1024;

  /** Where a reader is: the next byte to read, and the sequence of the last event passed. */
  public record Position(long segment, long offset, long sequence) {}

  /**
   * What one {@link #read} found.
   *
   * @param lines the wanted events' lines, newline excluded, in log order
   * @param next where to read on from
   * @param skippedSegments segments deleted before the reader got to them (their events are lost
   *     to it)
   */
  public record Batch(List<byte[]> lines, Position next, int skippedSegments) {}

  private final Path dir;
  private final String logId;
  private final long segmentSize;
  private final long maxSize;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition appended = lock.newCondition();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
  private final LongAdder written = new LongAdder();
  private final Thread syncer;
  private EventIndex index; // set by recover
  // Guarded by lock.
  private FileChannel channel;
  private long segment;
  private long size;
  private long sequence;
  private boolean dirty;
  private boolean closed;

  private EventLog(Path dir, String logId, long segmentSize, long maxSize) {
    this.dir = dir;
    this.logId = logId;
    this.segmentSize = segmentSize;
    this.maxSize = maxSize;
    this.syncer = Thread.ofPlatform().daemon().name("vireo-event-log-sync").unstarted(this::syncLoop);
  }

  /** Opens (or creates) the log in {@code dir}, going on after its last complete event. */
  public static EventLog open(Path dir, long segmentSize, long maxSize) throws IOException {
    Files.createDirectories(dir);
    EventLog eventLog = new EventLog(dir, logId(dir), segmentSize, maxSize);
    eventLog.recover();
    eventLog.syncer.start();
    return eventLog;
  }

  private static String logId(Path dir) throws IOException {
    Path file = dir.resolve(ID_FILE);
    if (Files.exists(file)) {
      String id = Files.readString(file, StandardCharsets.US_ASCII).strip();
      if (id.matches("[0-9a-f]{8}")) {
        return id;
      }
      throw new IOException(file + " does not hold a log id (8 hex digits): move it aside");
    }
    byte[] random = new byte[4];
    ThreadLocalRandom.current().nextBytes(random);
    String id = HexFormat.of().formatHex(random);
    Path temp = dir.resolve(ID_FILE + ".tmp");
    Files.writeString(temp, id + "\n", StandardCharsets.US_ASCII);
    try (FileChannel c = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      c.force(true);
    }
    Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return id;
  }

  /** Finds the newest segment, cuts a half-written last line, and reads the last sequence. */
  private void recover() throws IOException {
    TreeSet<Long> segments = segments();
    segment = segments.isEmpty() ? 1 : segments.last();
    channel =
        FileChannel.open(
            segmentPath(segment), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
    size = channel.size();
    long complete = SegmentTail.endOfLastLine(channel, size);
    if (complete < size) {
      log.warn(
          "event log {}: cutting {} bytes of a half-written last event", segmentPath(segment), size - complete);
      channel.truncate(complete);
      size = complete;
    }
    channel.position(size);
    index = new EventIndex(dir, this::segmentPath);
    index.recover(segments(), segment, size);
    for (Long s : segments.descendingSet()) {
      long last = s == segment ? SegmentTail.lastSequence(channel, size) : lastSequenceOf(s);
      if (last >= 0) {
        sequence = last;
        break;
      }
    }
  }

  private long lastSequenceOf(long s) throws IOException {
    try (FileChannel c = FileChannel.open(segmentPath(s), StandardOpenOption.READ)) {
      long end = SegmentTail.endOfLastLine(c, c.size());
      return SegmentTail.lastSequence(c, end);
    }
  }

  /** Segment numbers present, oldest first. */
  TreeSet<Long> segments() throws IOException {
    TreeSet<Long> numbers = new TreeSet<>();
    try (var files = Files.list(dir)) {
      files.forEach(
          file -> {
            String name = file.getFileName().toString();
            if (name.matches("events-\\d{10}\\.jsonl")) {
              numbers.add(Long.parseLong(name.substring(7, 17)));
            }
          });
    }
    return numbers;
  }

  Path segmentPath(long number) {
    return dir.resolve(String.format(java.util.Locale.ROOT, "events-%010d.jsonl", number));
  }

  /** Gives {@code change} its id and appends it. */
  public Event append(RecipientEvent change, Labels labels) {
    Objects.requireNonNull(change, "change");
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the event log is closed");
      }
      Event event = new Event(logId + "-" + (sequence + 1), change, labels);
      buffer.reset();
      EventJson.write(event, buffer);
      if (size > 0 && size + buffer.size() > segmentSize) {
        roll();
      }
      ByteBuffer bytes = ByteBuffer.wrap(buffer.toByteArray());
      long start = size;
      while (bytes.hasRemaining()) {
        size += channel.write(bytes);
      }
      index.appended(change.id() == null ? null : change.id().value(), start);
      sequence++;
      dirty = true;
      written.increment();
      appended.signalAll();
      return event;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to the event log " + segmentPath(segment), e);
    } finally {
      lock.unlock();
    }
  }

  /** Caller holds the lock: closes the segment (synced) and starts the next one. */
  private void roll() throws IOException {
    channel.force(false);
    channel.close();
    long closedSize = size;
    segment++;
    channel =
        FileChannel.open(
            segmentPath(segment), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
    size = 0;
    index.rolled(closedSize, segment);
    enforceBound();
  }

  /** Deletes the oldest closed segments while the log is over its size bound. */
  private void enforceBound() throws IOException {
    TreeSet<Long> all = segments();
    long total = 0;
    for (Long s : all) {
      total += Files.size(segmentPath(s));
    }
    for (Long s : all) {
      if (total <= maxSize || s == segment) {
        break;
      }
      long bytes = Files.size(segmentPath(s));
      Files.deleteIfExists(segmentPath(s));
      index.deleted(s);
      total -= bytes;
      log.info("event log: deleted {} ({} bytes) to stay under events.max-size", segmentPath(s), bytes);
    }
  }

  /** Where the log ends now: a reader at this position has read everything. */
  public Position end() {
    lock.lock();
    try {
      return new Position(segment, size, sequence);
    } finally {
      lock.unlock();
    }
  }

  /** Events appended since the log was opened. */
  public long written() {
    return written.sum();
  }

  /** The sequence of the last event appended. */
  public long lastSequence() {
    return end().sequence();
  }

  /** Waits up to {@code max} for an event after {@code position}; true if there is one. */
  public boolean awaitAfter(Position position, Duration max) throws InterruptedException {
    long nanos = max.toNanos();
    lock.lock();
    try {
      while (!closed && sequence <= position.sequence() && nanos > 0) {
        nanos = appended.awaitNanos(nanos);
      }
      return sequence > position.sequence();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Reads on from {@code from}: at most {@code max} wanted events (others are passed over), never
   * past the end of the last complete append.
   */
  public Batch read(Position from, int max, Predicate<EventType> wanted) throws IOException {
    Position end = end();
    List<byte[]> lines = new ArrayList<>();
    long seg = from.segment();
    long offset = from.offset();
    long seq = from.sequence();
    int skipped = 0;
    TreeSet<Long> present = segments();
    if (!present.contains(seg) && seg < end.segment()) {
      Long next = present.ceiling(seg);
      next = next == null ? end.segment() : next;
      skipped = (int) (next - seg);
      seg = next;
      offset = 0;
    }
    while (lines.size() < max) {
      long limit = seg == end.segment() ? end.offset() : sizeOf(seg);
      if (offset >= limit) {
        if (seg >= end.segment()) {
          break;
        }
        seg++;
        offset = 0;
        continue;
      }
      SegmentReader.Chunk chunk = SegmentReader.read(segmentPath(seg), offset, limit, READ_CHUNK);
      for (SegmentReader.Line line : chunk.lines()) {
        offset = line.next();
        Event event;
        try {
          event = EventJson.parse(line.bytes(), 0, line.bytes().length);
        } catch (IllegalArgumentException e) {
          log.warn("event log {}: an unreadable line at {} passed over: {}", segmentPath(seg), line.next(), e.getMessage());
          continue;
        }
        long s = EventJson.sequence(event.eventId());
        seq = s >= 0 ? s : seq;
        if (wanted.test(event.change().type())) {
          lines.add(line.bytes());
          if (lines.size() >= max) {
            break;
          }
        }
      }
      if (chunk.lines().isEmpty()) {
        // A line longer than the chunk (never written by this class): pass over to its end.
        offset = chunk.end();
      }
    }
    return new Batch(lines, new Position(seg, offset, seq), skipped);
  }

  private long sizeOf(long seg) throws IOException {
    try {
      return Files.size(segmentPath(seg));
    } catch (NoSuchFileException e) {
      return 0;
    }
  }

  private void syncLoop() {
    while (true) {
      try {
        Thread.sleep(SYNC_INTERVAL);
      } catch (InterruptedException e) {
        return;
      }
      if (!sync()) {
        return;
      }
    }
  }

  /** Forces what was appended to disk; false once the log is closed. */
  boolean sync() {
    FileChannel toSync;
    FileChannel indexToSync;
    lock.lock();
    try {
      if (closed) {
        return false;
      }
      if (!dirty) {
        return true;
      }
      dirty = false;
      toSync = channel;
      indexToSync = index.openChannel();
    } finally {
      lock.unlock();
    }
    try {
      // Outside the lock, so appends go on during the sync; a roll syncs the segment it closes
      // and writes its sorted index synced.
      toSync.force(false);
      if (indexToSync != null) {
        indexToSync.force(false);
      }
    } catch (java.nio.channels.ClosedChannelException e) {
      return true;
    } catch (IOException e) {
      log.error("event log sync failed: {}", e.toString());
    }
    return true;
  }

  /** Syncs and closes; later appends throw. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      appended.signalAll();
      channel.force(false);
      channel.close();
    } catch (IOException e) {
      log.error("closing the event log failed: {}", e.toString());
    } finally {
      lock.unlock();
    }
    syncer.interrupt();
    try {
      syncer.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lock.lock();
    try {
      index.close();
    } finally {
      lock.unlock();
    }
  }

  public Path directory() {
    return dir;
  }

  /**
   * A message's events in log order, found through the {@link EventIndex} (no scan of the log):
   * the latest {@code max}, and whether earlier ones were left out.
   */
  @Override
  public History of(MessageId id, int max) {
    Position end = end();
    ArrayDeque<long[]> found = new ArrayDeque<>();
    boolean[] cut = {false};
    try {
      for (long seg : segments()) {
        if (seg > end.segment()) {
          break;
        }
        boolean writing = seg == end.segment();
        index.candidates(
            seg,
            writing,
            writing ? end.offset() : Long.MAX_VALUE,
            id.value(),
            offset -> {
              if (found.size() == max) {
                found.removeFirst();
                cut[0] = true;
              }
              found.addLast(new long[] {seg, offset});
            });
      }
      List<Event> events = new ArrayList<>(found.size());
      for (long[] at : found) {
        Event event = eventAt(at[0], at[1]);
        if (event != null && id.equals(event.change().id())) {
          events.add(event);
        }
      }
      return new History(events, cut[0]);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the event log " + dir, e);
    }
  }

  /** The event whose line starts at {@code offset}, or null (gone, torn or unreadable). */
  private Event eventAt(long seg, long offset) throws IOException {
    Path file = segmentPath(seg);
    long limit = sizeOf(seg);
    if (offset >= limit) {
      return null;
    }
    for (int chunk = 4096; ; chunk = EventJson.MAX_LINE + 1) {
      SegmentReader.Chunk read = SegmentReader.read(file, offset, limit, chunk);
      if (!read.lines().isEmpty()) {
        byte[] line = read.lines().getFirst().bytes();
        try {
          return EventJson.parse(line, 0, line.length);
        } catch (IllegalArgumentException e) {
          return null;
        }
      }
      if (chunk > EventJson.MAX_LINE || read.end() >= limit) {
        return null;
      }
    }
  }
}
