package io.vireo.queue.chronicle;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.queue.ExcerptAppender;

/**
 * Makes one journal's appended records durable with {@code fdatasync} on the cycle files they went
 * to.
 *
 * <p>Why not Chronicle's {@code appender.sync()} with {@code SyncMode.SYNC}: measured on this
 * machine the two run at the same rate within its noise (see queue/README.md), but Chronicle's
 * msync covers only the range of data just written, not the index pages of the same file, and a
 * failed msync is merely logged by Chronicle, so a caller would be told "stored" after an I/O
 * error. {@link FileChannel#force} flushes every dirty page of the file, whichever mapping dirtied
 * it, and throws on failure. A newly created cycle file also needs its directory entry made
 * durable, hence the directory fsync.
 */
final class JournalSync implements AutoCloseable {
  private final Path directory;
  private final List<FileChannel> retired = new ArrayList<>();
  private FileChannel current;
  private int currentCycle = Integer.MIN_VALUE;
  private boolean dirty;
  private boolean directoryDirty;

  JournalSync(Path directory) {
    this.directory = directory;
  }

  /** Notes that {@code appender} just appended a record; call after every append. */
  void appended(ExcerptAppender appender) throws IOException {
    int cycle = appender.cycle();
    if (current == null || cycle != currentCycle) {
      if (current != null) {
        // Records before the roll went to the old file; sync it with the batch, then let it go.
        retired.add(current);
      }
      current = FileChannel.open(appender.currentFile().toPath(), StandardOpenOption.WRITE);
      currentCycle = cycle;
      directoryDirty = true;
    }
    dirty = true;
  }

  boolean isDirty() {
    return dirty || !retired.isEmpty();
  }

  /** Flushes everything appended since the last sync to the disk. */
  void sync() throws IOException {
    for (FileChannel channel : retired) {
      channel.force(false);
    }
    closeRetired();
    if (dirty) {
      current.force(false);
      dirty = false;
    }
    if (directoryDirty) {
      try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
        dir.force(true);
      }
      directoryDirty = false;
    }
  }

  /** Lets go of files left behind by a roll without syncing them (durability NONE only). */
  void releaseRetired() {
    closeRetired();
  }

  /** Forgets open files after a failure; the next append reopens what it needs. */
  void reset() {
    closeRetired();
    closeQuietly(current);
    current = null;
    dirty = false;
    directoryDirty = true;
  }

  @Override
  public void close() {
    reset();
  }

  private void closeRetired() {
    for (FileChannel channel : retired) {
      closeQuietly(channel);
    }
    retired.clear();
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      // Closing a file we only used for fsync cannot lose data; the next sync reports real trouble.
    }
  }
}
