package io.vireo.mailbox.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads a folder's state from disk: the files of {@code new/} and {@code cur/}, and the UIDs the UID
 * list gave them. Files the list does not know get the next UIDs in name order (the name starts with
 * the delivery time, so that is arrival order) and are added to the list. Only files not seen before
 * are stat'ed; a rescan of a large folder costs one directory listing.
 */
final class FolderScanner {
  private final Path dir;
  private final UidList uidList;
  private final Clock clock;
  private String guid;

  FolderScanner(Path dir, UidList uidList, Clock clock) {
    this.dir = dir;
    this.uidList = uidList;
    this.clock = clock;
  }

  /** A file found in new/ or cur/. */
  private record Found(String fileName, String base, boolean inNew) {}

  FolderSnapshot scan(FolderSnapshot previous) throws IOException {
    Map<String, MailMessage> known = new HashMap<>();
    if (previous != null) {
      previous.messages().forEach(message -> known.put(message.baseName(), message));
    }
    UidList.Contents list = uidList.read();
    long validity;
    long nextUid;
    if (list != null) {
      validity = list.uidValidity();
      nextUid = list.nextUid();
      guid = list.guid().isEmpty() ? newGuid() : list.guid();
    } else if (previous != null) {
      validity = previous.uidValidity();
      nextUid = previous.uidNext();
    } else {
      // A folder with no list yet: a fresh UIDVALIDITY (RFC 9051 section 2.3.1.1 only needs it to
      // grow whenever UIDs are reassigned; seconds do, as Dovecot's do).
      validity = Math.max(1, clock.instant().getEpochSecond());
      nextUid = 1;
      guid = newGuid();
    }
    if (previous != null) {
      nextUid = Math.max(nextUid, previous.uidNext());
    }
    Map<String, Long> listed = list != null ? list.uids() : Map.of();

    List<Found> found = new ArrayList<>();
    list(dir.resolve("new"), true, found);
    list(dir.resolve("cur"), false, found);

    List<MailMessage> messages = new ArrayList<>(found.size());
    List<Found> unnumbered = new ArrayList<>();
    Set<String> bases = new HashSet<>();
    for (Found file : found) {
      if (!bases.add(file.base())) {
        continue; // the same message seen mid-rename in both directories
      }
      Long uid = listed.get(file.base());
      if (uid == null && known.containsKey(file.base())) {
        uid = known.get(file.base()).uid();
      }
      if (uid == null) {
        unnumbered.add(file);
        continue;
      }
      MailMessage message = message(uid, file, known.get(file.base()));
      if (message != null) {
        messages.add(message);
      }
    }
    unnumbered.sort(Comparator.comparing(Found::base));
    Map<String, Long> added = new LinkedHashMap<>();
    for (Found file : unnumbered) {
      MailMessage message = message(nextUid, file, null);
      if (message != null) {
        messages.add(message);
        added.put(file.base(), nextUid++);
      }
    }
    messages.sort(Comparator.comparingLong(MailMessage::uid));
    long version = previous == null ? 1 : previous.version() + (sameAs(previous, messages) ? 0 : 1);
    FolderSnapshot snapshot =
        new FolderSnapshot(validity, nextUid, version, messages, previous == null ? 0 : previous.highestModSeq());
    if (list == null || listed.size() + added.size() != messages.size()) {
      uidList.write(contents(snapshot)); // new, or naming files that are gone: rewrite it whole
    } else if (!added.isEmpty()) {
      uidList.append(added);
    }
    return snapshot;
  }

  /** The UID list for a state. */
  UidList.Contents contents(FolderSnapshot snapshot) {
    Map<String, Long> uids = new LinkedHashMap<>();
    snapshot.messages().forEach(message -> uids.put(message.baseName(), message.uid()));
    if (guid == null) {
      guid = newGuid();
    }
    return new UidList.Contents(snapshot.uidValidity(), snapshot.uidNext(), guid, uids);
  }

  private static boolean sameAs(FolderSnapshot previous, List<MailMessage> messages) {
    return previous.messages().equals(messages);
  }

  private MailMessage message(long uid, Found file, MailMessage known) throws IOException {
    Set<Flag> flags = file.inNew() ? Set.of() : MaildirNames.flags(file.fileName());
    String other = file.inNew() ? "" : MaildirNames.otherInfo(file.fileName());
    if (known != null) {
      return new MailMessage(
          uid, file.base(), file.inNew(), flags, other, known.size(), known.lfEndings(), known.internalDate(),
          known.modSeq());
    }
    BasicFileAttributes attributes;
    try {
      attributes =
          Files.readAttributes(
              dir.resolve(file.inNew() ? "new" : "cur").resolve(file.fileName()),
              BasicFileAttributes.class);
    } catch (NoSuchFileException renamedMeanwhile) {
      return null;
    }
    long physical = MaildirNames.sizeHint(file.base());
    long virtual = MaildirNames.virtualSizeHint(file.base());
    long fileSize = attributes.size();
    boolean lf = virtual >= 0 && virtual != fileSize;
    long size = virtual >= 0 ? virtual : physical >= 0 && physical == fileSize ? physical : fileSize;
    return new MailMessage(
        uid, file.base(), file.inNew(), flags, other, size, lf, attributes.lastModifiedTime().toInstant(), 0);
  }

  private static void list(Path directory, boolean inNew, List<Found> into) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path path : files) {
        String name = path.getFileName().toString();
        if (!name.startsWith(".")) {
          into.add(new Found(name, MaildirNames.base(name), inNew));
        }
      }
    } catch (NoSuchFileException e) {
      throw new MailboxException(MailboxException.Reason.NONEXISTENT, "no such folder: " + directory);
    }
  }

  private static String newGuid() {
    UUID id = UUID.randomUUID();
    return HexFormat.of().toHexDigits(id.getMostSignificantBits())
        + HexFormat.of().toHexDigits(id.getLeastSignificantBits());
  }
}
