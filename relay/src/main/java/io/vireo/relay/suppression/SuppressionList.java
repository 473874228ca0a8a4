package io.vireo.relay.suppression;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The suppression list: in memory for {@link #isSuppressed} (a hash lookup, on every RCPT), and in
 * a JSON-lines journal on disk that each change is appended to and synced before it returns.
 * Opening replays the journal and rewrites it with only the entries still in force. One process at
 * a time: the relay holds a lock on {@code <file>.lock} while it runs, so {@code vireo
 * suppression} edits the file only when the relay is stopped.
 */
public final class SuppressionList implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SuppressionList.class);

  /** Another process (a running relay) holds the list. */
  public static final class LockedException extends IOException {
    LockedException(String message) {
      super(message);
    }
  }

  private final Path file;
  private volatile Duration expireAfter;
  private final Clock clock;
  private final Map<String, Suppression> entries = new ConcurrentHashMap<>();
  private final ReentrantLock writeLock = new ReentrantLock();
  private final FileChannel lockChannel;
  private final FileLock fileLock;
  private FileChannel journal; // guarded by writeLock

  private SuppressionList(
      Path file, Duration expireAfter, Clock clock, FileChannel lockChannel, FileLock fileLock) {
    this.file = file;
    this.expireAfter = expireAfter;
    this.clock = clock;
    this.lockChannel = lockChannel;
    this.fileLock = fileLock;
  }

  /**
   * Opens the list in {@code file} (created when missing).
   *
   * @param expireAfter how long a new entry lasts; zero: for ever
   * @throws LockedException when another process has it open
   */
  public static SuppressionList open(Path file, Duration expireAfter, Clock clock) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    FileChannel lockChannel =
        FileChannel.open(
            file.resolveSibling(file.getFileName() + ".lock"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      lock = null; // held by this very process (a relay running in it)
    } catch (IOException | RuntimeException e) {
      lockChannel.close();
      throw e;
    }
    if (lock == null) {
      lockChannel.close();
      throw new LockedException(
          "the suppression list " + file + " is in use by another process (a running relay?)");
    }
    SuppressionList list = new SuppressionList(file, expireAfter, clock, lockChannel, lock);
    try {
      list.load();
    } catch (IOException | RuntimeException e) {
      list.close();
      throw e;
    }
    return list;
  }

  private void load() throws IOException {
    int bad = 0;
    int lines = 0;
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        lines++;
        try {
          switch (SuppressionJournal.parse(line)) {
            case SuppressionJournal.Entry.Add(Suppression s) -> entries.put(s.address(), s);
            case SuppressionJournal.Entry.Remove(String address, Instant time) -> entries.remove(address);
          }
        } catch (IllegalArgumentException e) {
          bad++;
          log.warn("suppression list {}: line {} passed over: {}", file, lines, e.getMessage());
        }
      }
    }
    Instant now = clock.instant();
    entries.values().removeIf(s -> !s.activeAt(now));
    if (lines != entries.size() || bad > 0) {
      compact();
    }
    journal =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  /** Rewrites the journal with the entries in force: written, synced, renamed over the old one. */
  private void compact() throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel out =
        FileChannel.open(
            temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      for (Suppression s : sorted()) {
        write(out, SuppressionJournal.add(s));
      }
      out.force(false);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** True when {@code address} has an entry in force now; false for anything not an address. */
  /**
   * A reload's {@code suppression.expire-after}: for entries added from now on; an entry keeps the
   * expiry it was written with (the journal holds it).
   */
  public void expireAfter(Duration value) {
    if (value.isNegative()) {
      throw new IllegalArgumentException("expire-after must not be negative: " + value);
    }
    expireAfter = value;
  }

  public boolean isSuppressed(String address) {
    return find(address).isPresent();
  }

  /** The entry in force for {@code address}, if any. */
  public Optional<Suppression> find(String address) {
    String key;
    try {
      key = Suppression.normalize(address);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    Suppression s = entries.get(key);
    return s != null && s.activeAt(clock.instant()) ? Optional.of(s) : Optional.empty();
  }

  /**
   * Suppresses {@code address} from now for {@code suppression.expire-after}; an address already
   * suppressed keeps its entry.
   *
   * @return the entry in force
   * @throws IllegalArgumentException when {@code address} is not an address
   */
  public Suppression add(String address, String reason) throws IOException {
    Instant now = clock.instant();
    Duration lasts = expireAfter;
    return add(new Suppression(address, reason, now, lasts.isZero() ? null : now.plus(lasts)), false);
  }

  /** Adds {@code suppression}, replacing an entry in force when {@code replace}. */
  public Suppression add(Suppression suppression, boolean replace) throws IOException {
    writeLock.lock();
    try {
      Optional<Suppression> current = find(suppression.address());
      if (current.isPresent() && !replace) {
        return current.get();
      }
      append(SuppressionJournal.add(suppression));
      entries.put(suppression.address(), suppression);
      log.info(
          "suppressed <{}>: {}{}",
          suppression.address(),
          suppression.reason(),
          suppression.expires() == null ? "" : " (until " + suppression.expires() + ")");
      return suppression;
    } finally {
      writeLock.unlock();
    }
  }

  /** Lifts the suppression of {@code address}; false when it had none. */
  public boolean remove(String address) throws IOException {
    String key = Suppression.normalize(address);
    writeLock.lock();
    try {
      if (entries.get(key) == null) {
        return false;
      }
      append(SuppressionJournal.remove(key, clock.instant()));
      entries.remove(key);
      log.info("suppression of <{}> removed", key);
      return true;
    } finally {
      writeLock.unlock();
    }
  }

  /** The entries in force, by address. */
  public List<Suppression> list() {
    Instant now = clock.instant();
    return sorted().stream().filter(s -> s.activeAt(now)).toList();
  }

  private List<Suppression> sorted() {
    List<Suppression> all = new ArrayList<>(entries.values());
    all.sort(Comparator.comparing(Suppression::address));
    return all;
  }

  /** Entries in memory (some may have lapsed since). */
  public int size() {
    return entries.size();
  }

  private void append(byte[] line) throws IOException {
    write(journal, line);
    journal.force(false);
  }

  private static void write(FileChannel channel, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() {
    writeLock.lock();
    try {
      if (journal != null) {
        journal.close();
      }
      fileLock.release();
      lockChannel.close();
    } catch (IOException e) {
      log.warn("closing the suppression list failed: {}", e.toString());
    } finally {
      writeLock.unlock();
    }
  }
}
