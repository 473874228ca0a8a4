package io.vireo.relay.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where in the event log a queue id's events are, so a message's history is found without reading
 * the log: per segment, records of 16 bytes (a 64-bit hash of the queue id, the line's offset) in
 * {@code <events.dir>/index/}. The segment being written has an append-only {@code
 * events-N.open} (a record after each line, synced with the log's own syncs); a closed segment has {@code events-N.idx},
 * the same records sorted by hash behind a header naming the segment size it covers, searched by
 * bisection. Both are derived data: a missing, torn or stale file is rebuilt from the segment, and
 * a hash match is only a candidate (the caller reads the line and checks its id). Memory stays
 * bounded: nothing is held per event, a lookup reads at most one segment's open records.
 */
final class EventIndex implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventIndex.class);
  static final int RECORD = 16;
  private static final byte[] MAGIC = "VIREOIX1".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADER = 16;
  private static final int READ_CHUNK = 64 * 1024;
  private static final byte[] ID_FIELD = ",\"id\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final int ID_LENGTH = 20;

  private final Path dir;
  private final LongFunction<Path> segmentPath;
  private final ReentrantLock buildLock = new ReentrantLock();
  // Written under the event log's lock only.
  private FileChannel open;
  // Also read by lookups, outside that lock.
  private volatile long openSegment;
  private volatile boolean openBroken;

  EventIndex(Path logDir, LongFunction<Path> segmentPath) throws IOException {
    this.dir = logDir.resolve("index");
    this.segmentPath = segmentPath;
    Files.createDirectories(dir);
  }

  /** A 64-bit hash of a queue id (FNV-1a, then a finalizer that spreads the bits). */
  static long hash(String id) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < id.length(); i++) {
      h = (h ^ id.charAt(i)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }

  Path openFile(long segment) {
    return dir.resolve(String.format(Locale.ROOT, "events-%010d.open", segment));
  }

  Path sealedFile(long segment) {
    return dir.resolve(String.format(Locale.ROOT, "events-%010d.idx", segment));
  }

  /**
   * At the log's opening: drops index files of segments that are gone and any {@code .idx} of the
   * segment being written, then brings its open records up to {@code size} (a torn record cut,
   * records past the segment's end dropped, lines after the last record indexed).
   */
  void recover(Set<Long> present, long segment, long size) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (!name.matches("events-\\d{10}\\.(open|idx)")) {
          Files.deleteIfExists(file); // a temporary file of an interrupted build
          continue;
        }
        long number = Long.parseLong(name.substring(7, 17));
        boolean stale =
            !present.contains(number)
                || (number == segment && name.endsWith(".idx"))
                || (number != segment && name.endsWith(".open"));
        if (stale) {
          Files.delete(file);
        }
      }
    }
    openSegment = segment;
    open = openForAppending(segment, false);
    long records = open.size() / RECORD;
    long indexedEnd = 0;
    // Records are in offset order: keep those of lines inside the segment.
    while (records > 0) {
      ByteBuffer last = ByteBuffer.allocate(RECORD);
      open.read(last, (records - 1) * RECORD);
      long offset = last.getLong(8);
      if (offset < size) {
        indexedEnd = endOfLine(segmentPath.apply(segment), offset, size);
        break;
      }
      records--;
    }
    open.truncate(records * RECORD);
    open.position(records * RECORD);
    if (indexedEnd < size) {
      scan(segmentPath.apply(segment), indexedEnd, size, (hash, offset) -> write(open, hash, offset));
    }
  }

  /** Records the line at {@code offset} of the segment being written; caller holds the log's lock. */
  void appended(String id, long offset) {
    if (id == null || openBroken) {
      return;
    }
    try {
      write(open, hash(id), offset);
    } catch (IOException e) {
      // Lookups in this segment read the segment itself from now on; closing it builds its index.
      openBroken = true;
      log.error(
          "event index {}: cannot append ({}); lookups read the segment until it rolls",
          openFile(openSegment),
          e.toString());
    }
  }

  /**
   * The segment being written was closed at {@code size} and {@code next} begins: writes the sorted
   * index of the closed one (from its open records, or from the segment when those failed).
   * Caller holds the log's lock; costs a sort of one segment's records, once per segment. Never
   * throws: the index must not stop the log, and a lookup rebuilds what is missing.
   */
  void rolled(long size, long next) {
    long closed = openSegment;
    try {
      long[] records = openBroken ? fromSegment(closed, size) : readAll(open);
      writeSealed(closed, records, size);
      Files.deleteIfExists(openFile(closed));
    } catch (IOException e) {
      log.error(
          "event index: cannot write the index of segment {} ({}); a lookup builds it",
          closed,
          e.toString());
    }
    openSegment = next;
    try {
      open.close();
      open = openForAppending(next, true);
      openBroken = false;
    } catch (IOException e) {
      openBroken = true;
      log.error(
          "event index {}: cannot open ({}); lookups read the segment until it rolls",
          openFile(next),
          e.toString());
    }
  }

  private FileChannel openForAppending(long segment, boolean empty) throws IOException {
    return empty
        ? FileChannel.open(
            openFile(segment),
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)
        : FileChannel.open(
            openFile(segment), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  /**
   * The open records' file, for the log's sync thread to force with the segment (a power loss then
   * leaves at most an unsynced tail, which {@link #recover} rebuilds from the segment); null when
   * appends to it failed. Caller holds the log's lock; the channel may be closed by a roll after.
   */
  FileChannel openChannel() {
    return openBroken ? null : open;
  }

  /** The segment was deleted: so are its index files. */
  void deleted(long segment) throws IOException {
    Files.deleteIfExists(sealedFile(segment));
    Files.deleteIfExists(openFile(segment));
  }

  /**
   * Offsets in {@code segment}, below {@code limit}, of lines that may be {@code id}'s events, in
   * ascending order, each given to {@code found}.
   *
   * @param writing whether it is the segment being written ({@code limit}: the log's end now)
   */
  void candidates(long segment, boolean writing, long limit, String id, LongConsumer found)
      throws IOException {
    long hash = hash(id);
    if (writing) {
      if (!openBroken && scanOpen(segment, hash, limit, found)) {
        return;
      }
      if (openBroken && segment == openSegment) {
        scanSegment(segment, hash, limit, found);
        return;
      }
      // Rolled meanwhile: its sorted index was written before the open records went.
    }
    Path sealed = sealedFile(segment);
    if (!searchSealed(sealed, segment, hash, found)) {
      buildLock.lock();
      try {
        if (!searchSealed(sealed, segment, hash, found)) {
          long size = Files.size(segmentPath.apply(segment));
          writeSealed(segment, fromSegment(segment, size), size);
          searchSealed(sealed, segment, hash, found);
        }
      } catch (NoSuchFileException e) {
        // The segment went (the size bound) while we looked: its events are gone.
      } finally {
        buildLock.unlock();
      }
    }
  }

  private boolean scanOpen(long segment, long hash, long limit, LongConsumer found) throws IOException {
    long[] offsets = new long[16];
    int n = 0;
    try (FileChannel channel = FileChannel.open(openFile(segment), StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(READ_CHUNK);
      long position = 0;
      while (true) {
        buffer.clear();
        int read = channel.read(buffer, position);
        if (read < RECORD) {
          break;
        }
        int whole = read - read % RECORD;
        for (int i = 0; i < whole; i += RECORD) {
          if (buffer.getLong(i) == hash && buffer.getLong(i + 8) < limit) {
            offsets = n == offsets.length ? Arrays.copyOf(offsets, n * 2) : offsets;
            offsets[n++] = buffer.getLong(i + 8);
          }
        }
        position += whole;
      }
    } catch (NoSuchFileException e) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      found.accept(offsets[i]);
    }
    return true;
  }

  private void scanSegment(long segment, long hash, long limit, LongConsumer found) throws IOException {
    scan(
        segmentPath.apply(segment),
        0,
        limit,
        (h, offset) -> {
          if (h == hash) {
            found.accept(offset);
          }
        });
  }

  /** Bisection in a sorted index; false when it is missing or does not cover the segment. */
  private boolean searchSealed(Path file, long segment, long hash, LongConsumer found) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer header = ByteBuffer.allocate(HEADER);
      channel.read(header, 0);
      long covered = header.getLong(8);
      long bytes = channel.size() - HEADER;
      if (header.position() < HEADER
          || !Arrays.equals(header.array(), 0, 8, MAGIC, 0, 8)
          || bytes % RECORD != 0
          || covered != sizeOrMinusOne(segment)) {
        return false;
      }
      long low = 0;
      long high = bytes / RECORD;
      ByteBuffer record = ByteBuffer.allocate(RECORD);
      while (low < high) {
        long middle = (low + high) >>> 1;
        if (Long.compareUnsigned(readRecord(channel, middle, record).getLong(0), hash) < 0) {
          low = middle + 1;
        } else {
          high = middle;
        }
      }
      for (long i = low; i < bytes / RECORD; i++) {
        readRecord(channel, i, record);
        if (record.getLong(0) != hash) {
          break;
        }
        found.accept(record.getLong(8));
      }
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private long sizeOrMinusOne(long segment) throws IOException {
    try {
      return Files.size(segmentPath.apply(segment));
    } catch (NoSuchFileException e) {
      return -1;
    }
  }

  private static ByteBuffer readRecord(FileChannel channel, long index, ByteBuffer record)
      throws IOException {
    record.clear();
    while (record.hasRemaining() && channel.read(record, HEADER + index * RECORD + record.position()) >= 0) {
      // read on
    }
    return record;
  }

  /** Writes the records sorted (by hash, then offset) behind the header: synced, then renamed. */
  private void writeSealed(long segment, long[] records, long size) throws IOException {
    int count = records.length / 2;
    Integer[] order = new Integer[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) -> {
          int byHash = Long.compareUnsigned(records[2 * a], records[2 * b]);
          return byHash != 0 ? byHash : Long.compare(records[2 * a + 1], records[2 * b + 1]);
        });
    Path temp = dir.resolve(sealedFile(segment).getFileName() + ".tmp");
    try (FileChannel out =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.allocate(READ_CHUNK);
      buffer.put(MAGIC).putLong(size);
      for (int i : order) {
        if (buffer.remaining() < RECORD) {
          drain(out, buffer);
        }
        buffer.putLong(records[2 * i]).putLong(records[2 * i + 1]);
      }
      drain(out, buffer);
      out.force(false);
    }
    Files.move(
        temp, sealedFile(segment), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void drain(FileChannel out, ByteBuffer buffer) throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
    buffer.clear();
  }

  /** The open records as {hash, offset} pairs. */
  private static long[] readAll(FileChannel channel) throws IOException {
    long records = channel.size() / RECORD;
    ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(records * RECORD));
    while (all.hasRemaining() && channel.read(all, all.position()) >= 0) {
      // read on
    }
    long[] pairs = new long[Math.toIntExact(records * 2)];
    all.flip().asLongBuffer().get(pairs);
    return pairs;
  }

  private long[] fromSegment(long segment, long size) throws IOException {
    long[][] pairs = {new long[1024]};
    int[] n = {0};
    scan(
        segmentPath.apply(segment),
        0,
        size,
        (hash, offset) -> {
          if (n[0] + 2 > pairs[0].length) {
            pairs[0] = Arrays.copyOf(pairs[0], pairs[0].length * 2);
          }
          pairs[0][n[0]++] = hash;
          pairs[0][n[0]++] = offset;
        });
    return Arrays.copyOf(pairs[0], n[0]);
  }

  private interface RecordSink {
    void accept(long hash, long offset) throws IOException;
  }

  /**
   * Each complete line from {@code from} to {@code limit} with a queue id: its hash and offset.
   * The id is found without parsing: {@link EventJson} writes {@code event_id} and {@code type}
   * first, whose values never hold {@code ,"id":"}.
   */
  private static void scan(Path segment, long from, long limit, RecordSink sink) throws IOException {
    long offset = from;
    while (offset < limit) {
      SegmentReader.Chunk chunk = SegmentReader.read(segment, offset, limit, 4 * READ_CHUNK);
      long start = offset;
      for (SegmentReader.Line line : chunk.lines()) {
        String id = idOf(line.bytes());
        if (id != null) {
          sink.accept(hash(id), start);
        }
        start = line.next();
      }
      // A line longer than the chunk (never written by the log) is passed over.
      offset = chunk.lines().isEmpty() ? chunk.end() : start;
    }
  }

  /**
   * The queue id of an event line, or null (none, or not a line of this log): the value of the
   * first {@code ,"id":} (its {@code null} gives null).
   */
  static String idOf(byte[] line) {
    int limit = Math.min(line.length, 256) - ID_FIELD.length;
    outer:
    for (int i = 0; i <= limit; i++) {
      for (int j = 0; j < ID_FIELD.length - 1; j++) {
        if (line[i + j] != ID_FIELD[j]) {
          continue outer;
        }
      }
      int start = i + ID_FIELD.length;
      if (line[start - 1] == '"'
          && start + ID_LENGTH < line.length
          && line[start + ID_LENGTH] == '"') {
        return new String(line, start, ID_LENGTH, StandardCharsets.US_ASCII);
      }
      return null;
    }
    return null;
  }

  private static long endOfLine(Path segment, long offset, long limit) throws IOException {
    SegmentReader.Chunk chunk = SegmentReader.read(segment, offset, limit, EventJson.MAX_LINE + 1);
    return chunk.lines().isEmpty() ? limit : chunk.lines().getFirst().next();
  }

  private static void write(FileChannel channel, long hash, long offset) throws IOException {
    ByteBuffer record = ByteBuffer.allocate(RECORD).putLong(hash).putLong(offset).flip();
    while (record.hasRemaining()) {
      channel.write(record);
    }
  }

  @Override
  public void close() {
    try {
      if (open != null) {
        open.close();
      }
    } catch (IOException e) {
      log.warn("closing the event index failed: {}", e.toString());
    }
  }
}
