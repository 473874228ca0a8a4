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
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * A user's special-use folders (RFC 6154) in the Maildir's {@code vireo-special-use} file, one
 * folder a line: the name, a tab, the attributes separated by spaces ({@code Sent\t\Sent}). Folder
 * names hold no control characters ({@link FolderNames#validate}), so the tab is unambiguous. Dovecot
 * and Courier ignore the file (only {@code .}-directories are folders). Its existence also says the
 * default folders were made ({@link MailStore#createSpecialFolders}), so a user who deletes one is
 * not given it again.
 */
final class SpecialUses {
  static final String FILE = "vireo-special-use";
  private final MailStore store;
  private final ReentrantLock lock = new ReentrantLock();

  SpecialUses(MailStore store) {
    this.store = store;
  }

  boolean exists(String user) throws IOException {
    return Files.exists(store.maildir(user).resolve(FILE));
  }

  /** Folder name to its uses, in file order; empty when there is no file. */
  Map<String, Set<SpecialUse>> read(String user) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(store.maildir(user).resolve(FILE), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Map.of();
    }
    Map<String, Set<SpecialUse>> uses = new LinkedHashMap<>();
    for (String line : lines) {
      int tab = line.indexOf('\t');
      if (tab <= 0) {
        continue;
      }
      Set<SpecialUse> set = EnumSet.noneOf(SpecialUse.class);
      for (String name : line.substring(tab + 1).split(" ")) {
        SpecialUse use = SpecialUse.ofImapName(name);
        if (use != null) {
          set.add(use);
        }
      }
      if (!set.isEmpty()) {
        uses.put(FolderNames.canonical(line.substring(0, tab)), set);
      }
    }
    return Collections.unmodifiableMap(uses);
  }

  /** Rewrites the file with {@code change} applied to what it holds now; the file exists after. */
  void change(String user, UnaryOperator<Map<String, Set<SpecialUse>>> change) throws IOException {
    lock.lock();
    try {
      Map<String, Set<SpecialUse>> changed = change.apply(new LinkedHashMap<>(read(user)));
      write(store.maildir(user), changed);
    } finally {
      lock.unlock();
    }
  }

  /** Written to the Maildir's {@code tmp/}, synced, renamed over the file, the directory synced. */
  private static void write(Path maildir, Map<String, Set<SpecialUse>> uses) throws IOException {
    StringBuilder text = new StringBuilder();
    uses.forEach(
        (folder, set) -> {
          if (!set.isEmpty()) {
            text.append(folder).append('\t');
            set.forEach(use -> text.append(use.imapName()).append(' '));
            text.setLength(text.length() - 1);
            text.append('\n');
          }
        });
    Path staged = maildir.resolve("tmp").resolve(FILE + "." + ProcessHandle.current().pid());
    Files.createDirectories(staged.getParent());
    try {
      try (FileChannel out =
          FileChannel.open(
              staged, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        out.force(false);
      }
      Files.move(staged, maildir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(staged);
    }
    MaildirWriter.syncDirectory(maildir);
  }
}
