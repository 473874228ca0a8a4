package io.vireo.queue.chronicle;

import io.vireo.queue.SpoolException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Properties;

/**
 * The spool's directory layout: {@code messages/} and {@code events/} (one Chronicle queue each),
 * {@code spool.properties} (format version and roll cycle, so a reader needs no configuration) and
 * {@code spool.lock} (held by the one process that writes).
 */
final class SpoolDirectory {
  static final int FORMAT = 1;
  private static final String META_FILE = "spool.properties";
  private static final String LOCK_FILE = "spool.lock";

  private final Path root;
  private final Duration rollCycle;

  private SpoolDirectory(Path root, Duration rollCycle) {
    this.root = root;
    this.rollCycle = rollCycle;
  }

  /**
   * Opens the spool at {@code root} for writing, creating it with {@code rollCycle} if it does not
   * exist. An existing spool keeps the roll cycle it was created with.
   */
  static SpoolDirectory createOrOpen(Path root, Duration rollCycle) {
    try {
      Files.createDirectories(root);
      Path meta = root.resolve(META_FILE);
      if (!Files.exists(meta)) {
        writeMeta(meta, rollCycle);
        fsyncDirectory(root);
        Path parent = root.toAbsolutePath().getParent();
        if (parent != null) {
          fsyncDirectory(parent);
        }
      }
      SpoolDirectory directory = new SpoolDirectory(root, readRollCycle(meta));
      Files.createDirectories(directory.messages());
      Files.createDirectories(directory.events());
      return directory;
    } catch (IOException e) {
      throw new SpoolException(
          "cannot create the spool directory "
              + root
              + ": "
              + e
              + " (make it writable by this user, on a file system that is not read-only)",
          e);
    }
  }

  /** Opens an existing spool for reading; never creates or changes anything. */
  static SpoolDirectory existing(Path root) {
    Path meta = root.resolve(META_FILE);
    if (!Files.isRegularFile(meta)) {
      throw new SpoolException("no spool at " + root + " (" + META_FILE + " is missing)");
    }
    SpoolDirectory directory = new SpoolDirectory(root, readRollCycle(meta));
    if (!Files.isDirectory(directory.messages()) || !Files.isDirectory(directory.events())) {
      throw new SpoolException("the spool at " + root + " lacks its messages/ or events/ journal");
    }
    return directory;
  }

  Path root() {
    return root;
  }

  Path messages() {
    return root.resolve("messages");
  }

  Path events() {
    return root.resolve("events");
  }

  /**
   * Exists once the spool has written its first event: an events journal without cycle files after
   * that means it was lost, which would silently reset recipients to pending.
   */
  Path eventsMarker() {
    return root.resolve("events.started");
  }

  /** Creates {@link #eventsMarker()} durably; called once in a spool's life. */
  void markEventsStarted() throws IOException {
    Path marker = eventsMarker();
    if (!Files.exists(marker)) {
      Files.write(marker, new byte[0]);
      fsyncDirectory(root);
    }
  }

  /** Where damaged records and files are moved aside, like Postfix's corrupt queue. */
  Path quarantine() {
    return root.resolve("quarantine");
  }

  Duration rollCycle() {
    return rollCycle;
  }

  /**
   * Takes the writer's lock: two processes appending to one spool would each keep an index the
   * other does not see. The operating system releases it when the process dies, even by kill -9.
   */
  FileLock lockForWriting() {
    Path lockFile = root.resolve(LOCK_FILE);
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw new SpoolException(
            "the spool at "
                + root
                + " is in use by another process (a running relay: stop it first, or give this"
                + " one another spool.dir)");
      }
      return lock;
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw new SpoolException("the spool at " + root + " is already open in this process", e);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new SpoolException(
          "cannot lock the spool at "
              + root
              + ": "
              + e
              + " (make it writable by this user, on a file system that is not read-only)",
          e);
    }
  }

  private static void writeMeta(Path meta, Duration rollCycle) throws IOException {
    Properties properties = new Properties();
    properties.setProperty("format", Integer.toString(FORMAT));
    properties.setProperty("rollCycle", rollCycle.toString());
    Path temp = meta.resolveSibling(META_FILE + ".tmp");
    try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
      properties.store(writer, "Vireo spool layout; written once when the spool is created");
    }
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(temp, meta, StandardCopyOption.ATOMIC_MOVE);
  }

  private static Duration readRollCycle(Path meta) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new SpoolException("cannot read " + meta + ": " + e, e);
    }
    String format = properties.getProperty("format");
    if (!Integer.toString(FORMAT).equals(format)) {
      throw new SpoolException(
          meta + " declares spool format " + format + "; this build reads format " + FORMAT);
    }
    try {
      return Duration.parse(properties.getProperty("rollCycle", ""));
    } catch (DateTimeParseException e) {
      throw new SpoolException(meta + " has no valid rollCycle", e);
    }
  }

  private static void fsyncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // The lock attempt already failed; that is the error worth reporting.
      }
    }
  }
}
