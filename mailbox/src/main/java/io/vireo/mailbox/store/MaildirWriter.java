package io.vireo.mailbox.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Set;

/**
 * Puts new files into one Maildir folder the way the Maildir specification asks, so a crash never
 * shows a half-written message: the content goes to {@code tmp/} under a unique name, is synced, and
 * is renamed whole into {@code new/} (or {@code cur/} when it already has flags); then the directory
 * itself is synced so the rename survives a power loss.
 */
final class MaildirWriter {
  /** A file now in new/ or cur/, still without a UID. */
  record Placed(
      String baseName,
      boolean inNew,
      Set<Flag> flags,
      String otherInfo,
      long size,
      boolean lfEndings,
      Instant internalDate) {}

  private static final int ATTEMPTS = 8;

  private final Path dir;
  private final MailStore store;

  MaildirWriter(Path dir, MailStore store) {
    this.dir = dir;
    this.store = store;
  }

  Placed write(InputStream content, Set<Flag> flags, Instant internalDate) throws IOException {
    Path tmpDir = dir.resolve("tmp");
    Path tmp = null;
    FileChannel out = null;
    for (int attempt = 0; out == null; attempt++) {
      tmp = tmpDir.resolve(store.uniqueName());
      try {
        out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        if (attempt >= ATTEMPTS) {
          throw e;
        }
      }
    }
    long size = 0;
    try (FileChannel channel = out) {
      byte[] buffer = new byte[65536];
      int n;
      while ((n = content.read(buffer)) > 0) {
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
        while (chunk.hasRemaining()) {
          channel.write(chunk);
        }
        size += n;
      }
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.setLastModifiedTime(tmp, FileTime.from(internalDate));
    Placed placed =
        new Placed(
            tmp.getFileName() + ",S=" + size,
            flags.isEmpty(),
            Flag.copyOf(flags),
            "",
            size,
            false,
            internalDate);
    Path target = path(placed);
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    syncDirectory(target.getParent());
    return placed;
  }

  /**
   * Places another folder's message here under a new name with the same flags: a hard link, or a
   * copy through tmp/ where links are not possible. Null when the source is gone.
   */
  Placed link(Path source, MailMessage message) throws IOException {
    String base = store.uniqueName() + MaildirNames.hints(message.baseName());
    Placed placed =
        new Placed(
            base,
            false,
            message.flags(),
            message.otherInfo(),
            message.size(),
            message.lfEndings(),
            message.internalDate());
    Path target = path(placed);
    try {
      Files.createLink(target, source);
    } catch (NoSuchFileException e) {
      return null;
    } catch (UnsupportedOperationException | FileSystemException e) {
      Path tmp = dir.resolve("tmp").resolve(base);
      try {
        Files.copy(source, tmp, StandardCopyOption.COPY_ATTRIBUTES);
      } catch (NoSuchFileException gone) {
        return null;
      }
      try (FileChannel sync = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        sync.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }
    syncDirectory(target.getParent());
    return placed;
  }

  private Path path(Placed placed) {
    return placed.inNew()
        ? dir.resolve("new").resolve(placed.baseName())
        : dir.resolve("cur")
            .resolve(MaildirNames.withInfo(placed.baseName(), placed.flags(), placed.otherInfo()));
  }

  /** fsync of a directory: on Linux a read-only channel on it may be forced. */
  static void syncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
