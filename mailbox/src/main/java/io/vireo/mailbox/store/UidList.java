package io.vireo.mailbox.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A folder's UID list in Dovecot's {@code dovecot-uidlist} format (version 3: a header {@code 3
 * V<uidvalidity> N<nextuid> G<guid>}, then {@code <uid> :<base name>} per message in UID order;
 * version 1 is read too). Sharing Dovecot's file means Dovecot serving a Maildir Vireo wrote keeps
 * its UIDs, and Vireo serving a Maildir Dovecot wrote keeps Dovecot's. Writers hold Dovecot's dotlock
 * ({@code dovecot-uidlist.lock}, created exclusively), so the two never interleave a write.
 */
final class UidList {
  static final String FILE = "dovecot-uidlist";
  private static final String LOCK = FILE + ".lock";
  /** Dovecot's own default: a lock file older than this was left by a crashed writer. */
  private static final Duration STALE = Duration.ofMinutes(2);

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** What a UID list file says: header values and base name to UID, in file order. */
  record Contents(long uidValidity, long nextUid, String guid, Map<String, Long> uids) {}

  private final Path folderDir;
  private final Clock clock;

  UidList(Path folderDir, Clock clock) {
    this.folderDir = folderDir;
    this.clock = clock;
  }

  /** The file's contents, or null when there is none or it is not a list this reads. */
  Contents read() throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(folderDir.resolve(FILE), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    }
    if (lines.isEmpty()) {
      return null;
    }
    String[] header = lines.getFirst().split(" ");
    long validity = 0;
    long next = 1;
    String guid = "";
    boolean v3 = header[0].equals("3");
    if (v3) {
      for (String field : header) {
        if (field.length() > 1) {
          switch (field.charAt(0)) {
            case 'V' -> validity = parse(field.substring(1));
            case 'N' -> next = parse(field.substring(1));
            case 'G' -> guid = field.substring(1);
            default -> {}
          }
        }
      }
    } else if (header[0].equals("1") && header.length >= 3) {
      validity = parse(header[1]);
      next = parse(header[2]);
    } else {
      return null;
    }
    if (validity <= 0) {
      return null;
    }
    Map<String, Long> uids = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      int space = line.indexOf(' ');
      if (space <= 0) {
        continue;
      }
      long uid = parse(line.substring(0, space));
      String name = v3 ? v3Name(line, space) : line.substring(space + 1).trim();
      if (uid > 0 && name != null && !name.isEmpty()) {
        uids.put(MaildirNames.base(name), uid);
        next = Math.max(next, uid + 1);
      }
    }
    return new Contents(validity, next, guid, uids);
  }

  /** In version 3 the name follows the first field that starts with a colon. */
  private static String v3Name(String line, int space) {
    int colon = line.indexOf(" :", space - 1);
    return colon < 0 ? null : line.substring(colon + 2);
  }

  private static long parse(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Replaces the file: written into the lock file, synced, then renamed over it (Dovecot's way). */
  void write(Contents contents) throws IOException {
    StringBuilder text = new StringBuilder(64 + contents.uids().size() * 48);
    text.append("3 V").append(contents.uidValidity()).append(" N").append(contents.nextUid());
    text.append(" G").append(contents.guid()).append('\n');
    contents.uids().forEach((name, uid) -> text.append(uid).append(" :").append(name).append('\n'));
    Path lock = lock();
    try {
      try (FileChannel out = FileChannel.open(lock, StandardOpenOption.WRITE)) {
        writeFully(out, text);
        out.force(false);
      }
      Files.move(lock, folderDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(lock);
    }
  }

  /** Adds lines for new messages at the end, under the dotlock; synced before it returns. */
  void append(Map<String, Long> added) throws IOException {
    StringBuilder text = new StringBuilder(added.size() * 48);
    added.forEach((name, uid) -> text.append(uid).append(" :").append(name).append('\n'));
    Path lock = lock();
    try (FileChannel out =
        FileChannel.open(folderDir.resolve(FILE), StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      writeFully(out, text);
      out.force(false);
    } finally {
      Files.deleteIfExists(lock);
    }
  }

  private static void writeFully(FileChannel out, CharSequence text) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      out.write(bytes);
    }
  }

  /** Creates the dotlock, waiting a bounded time for another writer and breaking a stale lock. */
  private Path lock() throws IOException {
    Path lock = folderDir.resolve(LOCK);
    Instant deadline = clock.instant().plus(WAIT);
    while (true) {
      try {
        Files.createFile(lock);
        return lock;
      } catch (FileAlreadyExistsException e) {
        try {
          Instant modified = Files.getLastModifiedTime(lock).toInstant();
          if (modified.plus(STALE).isBefore(clock.instant())) {
            Files.deleteIfExists(lock);
            continue;
          }
        } catch (NoSuchFileException gone) {
          continue;
        }
        if (clock.instant().isAfter(deadline)) {
          throw new IOException("uid list of " + folderDir + " stays locked by " + lock);
        }
        Thread.onSpinWait();
        try {
          Thread.sleep(5);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted waiting for " + lock, interrupted);
        }
      }
    }
  }
}
