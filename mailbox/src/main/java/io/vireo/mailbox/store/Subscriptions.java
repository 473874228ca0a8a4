package io.vireo.mailbox.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A user's subscribed folders, in the Maildir's {@code subscriptions} file: one name a line
 * (Courier's format, which Dovecot reads; Dovecot's own version-2 file, a {@code V\t2} header and
 * tab-separated levels, is read too).
 */
final class Subscriptions {
  private static final String FILE = "subscriptions";
  private final MailStore store;
  private final ReentrantLock lock = new ReentrantLock();

  Subscriptions(MailStore store) {
    this.store = store;
  }

  List<String> read(String user) throws IOException {
    Path file = store.maildir(user).resolve(FILE);
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    Set<String> names = new LinkedHashSet<>();
    boolean v2 = !lines.isEmpty() && lines.getFirst().startsWith("V\t");
    for (String line : v2 ? lines.subList(1, lines.size()) : lines) {
      if (!line.isBlank()) {
        names.add(FolderNames.canonical(line.replace('\t', FolderNames.SEPARATOR)));
      }
    }
    return new ArrayList<>(names);
  }

  void change(String user, String name, boolean subscribed) throws IOException {
    lock.lock();
    try {
      Set<String> names = new LinkedHashSet<>(read(user));
      boolean changed = subscribed ? names.add(name) : names.remove(name);
      if (!changed) {
        return;
      }
      Path maildir = store.maildir(user);
      Files.createDirectories(maildir);
      Path tmp = maildir.resolve(FILE + ".tmp");
      StringBuilder text = new StringBuilder();
      names.forEach(each -> text.append(each).append('\n'));
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, maildir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    } finally {
      lock.unlock();
    }
  }
}
