package io.vireo.mailbox.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A folder's CONDSTORE mod-sequences (RFC 7162) in its {@code vireo-modseq} file, append-only:
 * {@code V<uidvalidity>} first, then {@code <uid> <modseq> <flag letters>} each time a message
 * appears or its flags change ({@code -} for no flags), {@code x <uid> <modseq>} when it is expunged,
 * and {@code - <modseq>} (after a rewrite) for the highest alone. The last line of a UID wins; the
 * highest mod-sequence is the largest in the file. The flags are kept so that a
 * change made on disk while Vireo was not looking (Dovecot, a crash between a rename and the line)
 * is seen at the next load and gets a new mod-sequence. The file is rewritten whole (tmp/, sync,
 * rename) when it holds more than twice the lines it needs.
 *
 * <p>Appends are synced only when a mod-sequence passes the one reserved: such an append adds
 * {@code - <modseq + RESERVE>} and is synced before the change is published. The highest read at
 * a load is then never below a mod-sequence a client was given, whatever lines a power loss took
 * (their messages are stamped again above it), and mod-sequences only grow (RFC 7162 section 3.1
 * asks for no more: they may jump). So a delivery or flag change costs a write, and one sync per
 * {@link #RESERVE} mod-sequences, instead of a sync each.
 */
final class ModSeqLog {
  static final String FILE = "vireo-modseq";
  /** Mod-sequences reserved by one synced append; after a power loss they may jump by this. */
  static final long RESERVE = 10_000;

  /** What the file says of one UID. */
  record Entry(long modSeq, Set<Flag> flags) {}

  /** The file's contents: its UIDVALIDITY, highest mod-sequence and the last entry per UID. */
  record Contents(long uidValidity, long highest, Map<Long, Entry> entries) {}

  private final Path dir;
  private int lines;
  private boolean tornTail;
  // The highest mod-sequence the synced file holds: those up to it may be handed out unsynced.
  private long reserved;

  ModSeqLog(Path dir) {
    this.dir = dir;
  }

  /** The file's contents, or null when there is none or it does not start with a UIDVALIDITY. */
  Contents read() throws IOException {
    String whole;
    try {
      whole = Files.readString(dir.resolve(FILE), StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      return null;
    }
    // A line cut by a crash is ignored, and the next append starts a line of its own.
    tornTail = !whole.isEmpty() && !whole.endsWith("\n");
    List<String> text = whole.lines().toList();
    if (text.isEmpty() || !text.getFirst().startsWith("V")) {
      return null;
    }
    long validity = parse(text.getFirst().substring(1));
    long highest = 0;
    Map<Long, Entry> entries = new HashMap<>();
    for (String line : text.subList(1, text.size())) {
      String[] fields = line.split(" ");
      if (fields.length < 2) {
        continue; // a line cut by a crash
      }
      if (fields[0].equals("x") && fields.length == 3) {
        entries.remove(parse(fields[1]));
        highest = Math.max(highest, parse(fields[2]));
        continue;
      }
      long modSeq = parse(fields[1]);
      if (modSeq <= 0) {
        continue;
      }
      highest = Math.max(highest, modSeq);
      if (!fields[0].equals("-") && fields.length == 3) {
        long uid = parse(fields[0]);
        if (uid > 0) {
          entries.put(uid, new Entry(modSeq, letters(fields[2])));
        }
      }
    }
    lines = text.size();
    reserved = highest;
    return new Contents(validity, highest, entries);
  }

  /** Adds lines for these messages (their current mod-sequences) and the UIDs expunged at {@code expungedAt}. */
  void append(Collection<MailMessage> changed, Collection<Long> expunged, long expungedAt) throws IOException {
    StringBuilder text = new StringBuilder(changed.size() * 32 + expunged.size() * 24);
    if (tornTail) {
      text.append('\n');
      tornTail = false;
    }
    for (MailMessage message : changed) {
      line(text, message);
    }
    long top = expunged.isEmpty() ? 0 : expungedAt;
    for (MailMessage message : changed) {
      top = Math.max(top, message.modSeq());
    }
    for (long uid : expunged) {
      text.append("x ").append(uid).append(' ').append(expungedAt).append('\n');
    }
    boolean reserve = top > reserved;
    if (reserve) {
      text.append("- ").append(top + RESERVE).append('\n');
    }
    try (FileChannel out =
        FileChannel.open(dir.resolve(FILE), StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      write(out, text);
      if (reserve) {
        out.force(false);
        reserved = top + RESERVE;
      }
    }
    lines += changed.size() + expunged.size() + (reserve ? 1 : 0);
  }

  /** True when the file holds more than twice the lines a rewrite would. */
  boolean wasteful(int messages) {
    return lines > 2 * messages + 1000;
  }

  /** Replaces the file with one line per message and the highest: tmp/, synced, renamed over it. */
  void rewrite(FolderSnapshot snapshot) throws IOException {
    StringBuilder text = new StringBuilder(snapshot.messages().size() * 32 + 48);
    text.append('V').append(snapshot.uidValidity()).append('\n');
    for (MailMessage message : snapshot.messages()) {
      line(text, message);
    }
    text.append("- ").append(snapshot.highestModSeq()).append('\n');
    Path staged = dir.resolve("tmp").resolve(FILE + "." + ProcessHandle.current().pid());
    Files.createDirectories(staged.getParent());
    try {
      try (FileChannel out =
          FileChannel.open(
              staged, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        write(out, text);
        out.force(false);
      }
      Files.move(staged, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(staged);
    }
    // Lines appended after this go to the new file: its name must not be lost to a power failure.
    MaildirWriter.syncDirectory(dir);
    lines = snapshot.messages().size() + 2;
    tornTail = false;
    reserved = snapshot.highestModSeq();
  }

  private static void line(StringBuilder text, MailMessage message) {
    text.append(message.uid()).append(' ').append(message.modSeq()).append(' ');
    if (message.flags().isEmpty()) {
      text.append('-');
    }
    for (Flag flag : Flag.values()) {
      if (message.has(flag)) {
        text.append(flag.letter());
      }
    }
    text.append('\n');
  }

  private static Set<Flag> letters(String letters) {
    Set<Flag> flags = EnumSet.noneOf(Flag.class);
    for (char c : letters.toCharArray()) {
      Flag flag = Flag.ofLetter(c);
      if (flag != null) {
        flags.add(flag);
      }
    }
    return flags;
  }

  private static void write(FileChannel out, CharSequence text) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII));
    while (bytes.hasRemaining()) {
      out.write(bytes);
    }
  }

  private static long parse(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
