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
  /**
   * A lock still empty this long after it was made lost its writer between creating it and naming
   * itself in it (microseconds apart), so it is broken without waiting for {@link #STALE}.
   */
  private static final Duration EMPTY_STALE = Duration.ofSeconds(5);

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

  /**
   * Replaces the file: written beside it in the folder's {@code tmp/}, synced, then renamed over it.
   * Not into the lock file, as Dovecot does: the lock keeps naming its holder, so a writer killed
   * mid-write leaves a lock the next writer breaks at once instead of after {@link #STALE}.
   */
  void write(Contents contents) throws IOException {
    StringBuilder text = new StringBuilder(64 + contents.uids().size() * 48);
    text.append("3 V").append(contents.uidValidity()).append(" N").append(contents.nextUid());
    text.append(" G").append(contents.guid()).append('\n');
    contents.uids().forEach((name, uid) -> text.append(uid).append(" :").append(name).append('\n'));
    Path lock = lock();
    Path staged = folderDir.resolve("tmp").resolve(FILE + "." + ProcessHandle.current().pid());
    try {
      Files.createDirectories(staged.getParent());
      try (FileChannel out =
          FileChannel.open(
              staged,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        writeFully(out, text);
        out.force(false);
      }
      Files.move(staged, folderDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(staged);
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

  private static final String HOST = hostName();
  private static final String OWNER = ProcessHandle.current().pid() + ":" + HOST;

  /** True when the lock names a process on this host that no longer runs. */
  private static boolean holderIsGone(Path lock) throws IOException {
    String content = Files.readString(lock, StandardCharsets.UTF_8).strip();
    int colon = content.indexOf(':');
    if (colon <= 0 || !content.substring(colon + 1).equals(HOST)) {
      return false; // empty (being written), another host's (or Dovecot's), or not a pid
    }
    try {
      long pid = Long.parseLong(content.substring(0, colon));
      return ProcessHandle.of(pid).isEmpty();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }

  /** Creates the dotlock, waiting a bounded time for another writer and breaking a stale lock. */
  private Path lock() throws IOException {
    Path lock = folderDir.resolve(LOCK);
    Instant deadline = clock.instant().plus(WAIT);
    while (true) {
      try {
        Files.createFile(lock);
        // Dovecot's dotlock content: the holder's pid and host, so a lock left by a writer that
        // died (kill -9) is broken at once by the next one on this host instead of after STALE.
        Files.writeString(lock, OWNER);
        return lock;
      } catch (FileAlreadyExistsException e) {
        try {
          Instant modified = Files.getLastModifiedTime(lock).toInstant();
          Instant now = clock.instant();
          if (modified.plus(STALE).isBefore(now)
              || holderIsGone(lock)
              || (Files.size(lock) == 0 && modified.plus(EMPTY_STALE).isBefore(now))) {
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
