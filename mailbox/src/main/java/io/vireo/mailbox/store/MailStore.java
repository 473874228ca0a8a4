package io.vireo.mailbox.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The users' mailboxes: one Maildir per user at {@code <root>/<user>/Maildir}, folders in the
 * Maildir++ layout ({@link FolderNames}), UIDs in Dovecot's {@code dovecot-uidlist} per folder, so
 * standard tools and Dovecot read what Vireo writes and the other way round. One instance serves the
 * whole process: it hands out one {@link MailFolder} per folder, whose lock and listeners every
 * session shares.
 *
 * <p>Quota: {@link #usedBytes} is the sum of a user's message sizes, computed by one scan of the
 * user's folders on first use, then kept up to date by every change made through this store (and by
 * rescans that find changes made by others). Nothing is written for it (no {@code maildirsize}).
 */
public final class MailStore {
  /** The folders every user is given (Dovecot's and Thunderbird's names), with their use. */
  public static final Map<String, SpecialUse> SPECIAL_FOLDERS = specialFolders();

  private final Path root;
  private final Clock clock;
  private final String host;
  private final long pid = ProcessHandle.current().pid();
  private final AtomicLong deliveries = new AtomicLong();
  private final ConcurrentHashMap<String, MailFolder> folders = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicLong> usage = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, MaildropLock> maildrops = new ConcurrentHashMap<>();
  /** Serialises folder creation, deletion and renaming (rare; per store is enough). */
  private final ReentrantLock tree = new ReentrantLock();
  private final Subscriptions subscriptions;
  private final SpecialUses specialUses;

  /**
   * @param root the directory holding one directory per user
   * @param hostname the host part of new file names (the Maildir spec's uniqueness)
   */
  public MailStore(Path root, Clock clock, String hostname) {
    this.root = Objects.requireNonNull(root, "root");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.host = MaildirNames.safeHost(Objects.requireNonNull(hostname, "hostname"));
    this.subscriptions = new Subscriptions(this);
    this.specialUses = new SpecialUses(this);
  }

  private static Map<String, SpecialUse> specialFolders() {
    Map<String, SpecialUse> folders = new LinkedHashMap<>();
    folders.put("Sent", SpecialUse.SENT);
    folders.put("Drafts", SpecialUse.DRAFTS);
    folders.put("Trash", SpecialUse.TRASH);
    folders.put("Junk", SpecialUse.JUNK);
    folders.put("Archive", SpecialUse.ARCHIVE);
    return java.util.Collections.unmodifiableMap(folders);
  }

  /** The user's Maildir (INBOX). */
  public Path maildir(String user) throws MailboxException {
    return root.resolve(checkUser(user)).resolve("Maildir");
  }

  /** True when the user has a Maildir. */
  public boolean exists(String user) throws MailboxException {
    return Files.isDirectory(maildir(user));
  }

  /** Creates the user's Maildir (INBOX) if it is not there yet. */
  public void createMaildir(String user) throws IOException {
    ensureMaildir(user);
  }

  /**
   * Stores a message in a user's folder, creating the Maildir and the folder when missing. Durable
   * when it returns: the file and its directory entry are synced.
   *
   * @param internalDate the arrival time (IMAP's INTERNALDATE), kept as the file's modification time
   */
  public Stored deliver(
      String user, String folder, InputStream content, Set<Flag> flags, Instant internalDate)
      throws IOException {
    String name = FolderNames.validate(folder);
    ensureMaildir(user);
    if (!name.equals(FolderNames.INBOX)
        && !Files.isDirectory(FolderNames.directory(maildir(user), name))) {
      try {
        createFolder(user, name);
      } catch (MailboxException e) {
        if (e.reason() != MailboxException.Reason.ALREADY_EXISTS) {
          throw e;
        }
      }
    }
    return folder(user, name).append(content, flags, internalDate);
  }

  /** {@link #deliver(String, String, InputStream, Set, Instant)} of bytes in memory. */
  public Stored deliver(String user, String folder, byte[] content, Set<Flag> flags, Instant internalDate)
      throws IOException {
    return deliver(user, folder, new ByteArrayInputStream(content), flags, internalDate);
  }

  /**
   * Octets in all of the user's folders (0 for a user without a Maildir): a quota check compares
   * this plus the new message's size with the limit.
   */
  public long usedBytes(String user) throws IOException {
    AtomicLong used = usage.get(checkUser(user));
    if (used == null) {
      long total = 0;
      if (exists(user)) {
        for (String name : folders(user)) {
          try {
            total += folder(user, name).snapshot().totalSize();
          } catch (MailboxException gone) {
            // deleted while we counted
          }
        }
      }
      used = usage.computeIfAbsent(user, u -> new AtomicLong());
      used.compareAndSet(0, total);
    }
    return used.get();
  }

  /** A user's folder, shared by every session of this process. */
  public MailFolder folder(String user, String folder) throws IOException {
    String name = FolderNames.validate(folder);
    Path dir = FolderNames.directory(maildir(user), name);
    if (!Files.isDirectory(dir.resolve("cur"))) {
      throw new MailboxException(MailboxException.Reason.NONEXISTENT, "no such folder: " + name);
    }
    return folders.computeIfAbsent(key(user, name), k -> new MailFolder(this, user, name, dir));
  }

  /** The user's folders, INBOX first, then the rest in name order; none without a Maildir. */
  public List<String> folders(String user) throws IOException {
    Path maildir = maildir(user);
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(maildir)) {
      return names;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(maildir, ".?*")) {
      for (Path entry : entries) {
        String file = entry.getFileName().toString();
        if (file.length() > 1 && !file.equals("..") && Files.isDirectory(entry.resolve("cur"))) {
          names.add(file.substring(1));
        }
      }
    }
    names.sort(null);
    names.addFirst(FolderNames.INBOX);
    return names;
  }

  /** Creates a folder (and the user's Maildir if needed). */
  public void createFolder(String user, String folder) throws IOException {
    createFolder(user, folder, Set.of());
  }

  /**
   * Creates a folder with special uses (RFC 6154 section 3, CREATE-SPECIAL-USE): both or neither;
   * a use the store cannot give (\All, \Flagged) refuses the creation.
   */
  public void createFolder(String user, String folder, Set<SpecialUse> uses) throws IOException {
    for (SpecialUse use : uses) {
      if (!use.storable()) {
        throw new MailboxException(
            MailboxException.Reason.UNSUPPORTED_USE, use.imapName() + " is for virtual folders, not supported");
      }
    }
    String name = FolderNames.validate(folder);
    ensureMaildir(user);
    if (name.equals(FolderNames.INBOX)) {
      throw new MailboxException(MailboxException.Reason.ALREADY_EXISTS, "INBOX always exists");
    }
    tree.lock();
    try {
      Path dir = FolderNames.directory(maildir(user), name);
      try {
        Files.createDirectory(dir);
      } catch (FileAlreadyExistsException e) {
        throw new MailboxException(MailboxException.Reason.ALREADY_EXISTS, "folder exists: " + name);
      }
      makeMaildir(dir);
      // Maildir++: marks a folder, so delivery agents never treat it as a user's Maildir.
      Files.createFile(dir.resolve("maildirfolder"));
      MaildirWriter.syncDirectory(dir.getParent());
      if (!uses.isEmpty()) {
        try {
          specialUses.change(user, map -> put(map, name, EnumSet.copyOf(uses)));
        } catch (IOException e) {
          deleteTree(dir); // RFC 6154 section 3: a folder without its use must not be left created
          throw e;
        }
      }
    } finally {
      tree.unlock();
    }
  }

  /**
   * Deletes a folder and its messages; its subfolders stay (they are directories of their own in
   * Maildir++). Sessions that had it open see it empty.
   */
  public void deleteFolder(String user, String folder) throws IOException {
    String name = FolderNames.validate(folder);
    if (name.equals(FolderNames.INBOX)) {
      throw new MailboxException(MailboxException.Reason.CANNOT, "INBOX cannot be deleted");
    }
    tree.lock();
    try {
      MailFolder open = folder(user, name);
      open.expunge(java.util.Arrays.stream(open.snapshot().uids()).boxed().toList());
      Path dir = FolderNames.directory(maildir(user), name);
      // Out of sight first (one rename), then removed: a crash halfway leaves no half folder listed.
      Path doomed = maildir(user).resolve("vireo-deleted-" + clock.millis() + "-" + deliveries.incrementAndGet());
      Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
      folders.remove(key(user, name));
      deleteTree(doomed);
      if (specialUses.read(user).containsKey(name)) {
        specialUses.change(user, map -> remove(map, name));
      }
    } finally {
      tree.unlock();
    }
  }

  /** Renames a folder and its subfolders ({@code A} to {@code B} takes {@code A.x} to {@code B.x}). */
  public void renameFolder(String user, String from, String to) throws IOException {
    String source = FolderNames.validate(from);
    String target = FolderNames.validate(to);
    if (source.equals(FolderNames.INBOX)) {
      throw new MailboxException(MailboxException.Reason.CANNOT, "renaming INBOX is not supported");
    }
    if (target.equals(FolderNames.INBOX)) {
      throw new MailboxException(MailboxException.Reason.ALREADY_EXISTS, "INBOX always exists");
    }
    tree.lock();
    try {
      Path maildir = maildir(user);
      if (!Files.isDirectory(FolderNames.directory(maildir, source))) {
        throw new MailboxException(MailboxException.Reason.NONEXISTENT, "no such folder: " + source);
      }
      if (Files.exists(FolderNames.directory(maildir, target))) {
        throw new MailboxException(MailboxException.Reason.ALREADY_EXISTS, "folder exists: " + target);
      }
      for (String name : folders(user)) {
        if (name.equals(source) || name.startsWith(source + FolderNames.SEPARATOR)) {
          String renamed = target + name.substring(source.length());
          Files.move(
              FolderNames.directory(maildir, name),
              FolderNames.directory(maildir, renamed),
              StandardCopyOption.ATOMIC_MOVE);
          folders.remove(key(user, name));
        }
      }
      MaildirWriter.syncDirectory(maildir);
      // A folder's use goes with it (as its messages do), children included.
      if (specialUses.read(user).keySet().stream().anyMatch(n -> n.equals(source) || n.startsWith(source + "."))) {
        specialUses.change(user, map -> renamed(map, source, target));
      }
    } finally {
      tree.unlock();
    }
  }

  /** The user's folders that have a special use (RFC 6154), by name; folders since deleted are not in it. */
  public Map<String, Set<SpecialUse>> specialUses(String user) throws IOException {
    return specialUses.read(user);
  }

  /**
   * Gives the user the {@link #SPECIAL_FOLDERS}, subscribed, unless done before: once per user,
   * then one {@code stat} per call. A folder of that name that exists already is given the use.
   *
   * <p>Why at the first IMAP login and not at first use (Dovecot's {@code auto = create} lists the
   * folders at once but makes them on disk only when one is opened): here they are real Maildir++
   * folders from the start, so LIST, STATUS, APPEND, COPY, DELETE, quota and Dovecot or mutt
   * reading the same Maildir all see one truth and no command needs a "listed but not made yet"
   * case; it costs five empty folders once per IMAP user (POP3 users get none). Done once: the
   * {@code vireo-special-use} file, written last, records it, so a folder the user deletes stays
   * deleted, and a crash halfway is finished at the next login.
   */
  public void createSpecialFolders(String user) throws IOException {
    if (specialUses.exists(user)) {
      return;
    }
    tree.lock();
    try {
      if (specialUses.exists(user)) {
        return;
      }
      ensureMaildir(user);
      Map<String, SpecialUse> made = new LinkedHashMap<>();
      for (Map.Entry<String, SpecialUse> special : SPECIAL_FOLDERS.entrySet()) {
        String name = special.getKey();
        try {
          createFolder(user, name);
        } catch (MailboxException e) {
          if (e.reason() != MailboxException.Reason.ALREADY_EXISTS) {
            throw e;
          }
        }
        if (Files.isDirectory(FolderNames.directory(maildir(user), name).resolve("cur"))) {
          subscribe(user, name);
          made.put(name, special.getValue());
        }
      }
      specialUses.change(
          user,
          map -> {
            made.forEach((name, use) -> map.computeIfAbsent(name, n -> EnumSet.noneOf(SpecialUse.class)).add(use));
            return map;
          });
    } finally {
      tree.unlock();
    }
  }

  private static Map<String, Set<SpecialUse>> put(
      Map<String, Set<SpecialUse>> map, String name, Set<SpecialUse> uses) {
    map.put(name, uses);
    return map;
  }

  private static Map<String, Set<SpecialUse>> remove(Map<String, Set<SpecialUse>> map, String name) {
    map.remove(name);
    return map;
  }

  private static Map<String, Set<SpecialUse>> renamed(
      Map<String, Set<SpecialUse>> map, String source, String target) {
    Map<String, Set<SpecialUse>> result = new LinkedHashMap<>();
    map.forEach(
        (name, uses) -> {
          boolean moved = name.equals(source) || name.startsWith(source + FolderNames.SEPARATOR);
          result.put(moved ? target + name.substring(source.length()) : name, uses);
        });
    return result;
  }

  /** The folders the user subscribed to (IMAP LSUB, LIST (SUBSCRIBED)). */
  public List<String> subscriptions(String user) throws IOException {
    return subscriptions.read(user);
  }

  public void subscribe(String user, String folder) throws IOException {
    subscriptions.change(user, FolderNames.validate(folder), true);
  }

  public void unsubscribe(String user, String folder) throws IOException {
    subscriptions.change(user, FolderNames.validate(folder), false);
  }

  /** The user's POP3 maildrop lock, or empty while another session holds it (RFC 1939 section 8). */
  public Optional<MaildropLock> tryLockMaildrop(String user) throws MailboxException {
    String owner = checkUser(user);
    MaildropLock lock =
        new MaildropLock() {
          private boolean closed;

          @Override
          public String user() {
            return owner;
          }

          @Override
          public synchronized void close() {
            if (!closed) {
              closed = true;
              maildrops.remove(owner, this);
            }
          }
        };
    return maildrops.putIfAbsent(owner, lock) == null ? Optional.of(lock) : Optional.empty();
  }

  Clock clock() {
    return clock;
  }

  /** A unique Maildir base name: {@code seconds.M<micros>P<pid>Q<count>.host}. */
  String uniqueName() {
    Instant now = clock.instant();
    return now.getEpochSecond()
        + ".M" + now.getNano() / 1000 + "P" + pid + "Q" + deliveries.incrementAndGet() + "." + host;
  }

  void adjustUsage(String user, long delta) {
    AtomicLong used = usage.get(user);
    if (used != null && delta != 0) {
      used.addAndGet(delta);
    }
  }

  private void ensureMaildir(String user) throws IOException {
    Path maildir = maildir(user);
    if (!Files.isDirectory(maildir.resolve("cur"))) {
      tree.lock();
      try {
        Files.createDirectories(maildir);
        makeMaildir(maildir);
      } finally {
        tree.unlock();
      }
    }
  }

  private static void makeMaildir(Path dir) throws IOException {
    for (String sub : List.of("tmp", "new", "cur")) {
      Files.createDirectories(dir.resolve(sub));
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        try {
          Files.delete(path);
        } catch (NoSuchFileException e) {
          // gone already
        }
      }
    }
  }

  /**
   * A user name as a directory name: it must stay one level under the root.
   *
   * @throws MailboxException {@link MailboxException.Reason#NONEXISTENT} for a name that cannot be one
   */
  private static String checkUser(String user) throws MailboxException {
    boolean bad =
        user == null
            || user.isEmpty()
            || user.length() > 255
            || user.equals(".")
            || user.equals("..")
            || user.contains("/")
            || user.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    if (bad) {
      throw new MailboxException(MailboxException.Reason.NONEXISTENT, "not a mailbox user: " + user);
    }
    return user;
  }

  private static String key(String user, String folder) {
    return user + '\0' + folder;
  }
}
