package io.vireo.mailbox.store;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailStoreTest {
  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
  private static final byte[] MESSAGE =
      "From: a@example.com\r\nTo: b@example.net\r\nSubject: hi\r\n\r\nhello\r\n".getBytes(US_ASCII);

  @TempDir Path root;

  private MailStore store() {
    return new MailStore(root, Clock.fixed(T0, ZoneOffset.UTC), "mx.example.net");
  }

  private static byte[] read(MailFolder folder, MailMessage message) throws IOException {
    try (InputStream in = folder.open(message)) {
      return in.readAllBytes();
    }
  }

  @Test
  void deliveryLandsWholeInNewWithSizeInTheNameAndNothingLeftInTmp() throws IOException {
    MailStore store = store();
    Stored stored = store.deliver("alice", "INBOX", MESSAGE, Set.of(), T0.minusSeconds(60));

    assertThat(stored.uid()).isEqualTo(1);
    assertThat(stored.size()).isEqualTo(MESSAGE.length);
    Path maildir = root.resolve("alice/Maildir");
    assertThat(files(maildir.resolve("tmp"))).isEmpty();
    List<Path> fresh = files(maildir.resolve("new"));
    assertThat(fresh).hasSize(1);
    String name = fresh.getFirst().getFileName().toString();
    assertThat(name).matches("\\d+\\.M\\d+P\\d+Q\\d+\\.mx\\.example\\.net,S=" + MESSAGE.length);
    assertThat(Files.readAllBytes(fresh.getFirst())).isEqualTo(MESSAGE);
    assertThat(Files.getLastModifiedTime(fresh.getFirst()).toInstant()).isEqualTo(T0.minusSeconds(60));
    MailMessage message = store.folder("alice", "inbox").snapshot().byUid(1);
    assertThat(message.internalDate()).isEqualTo(T0.minusSeconds(60));
    assertThat(read(store.folder("alice", "INBOX"), message)).isEqualTo(MESSAGE);
  }

  @Test
  void aFailedStreamLeavesNoMessageBehind() throws IOException {
    MailStore store = store();
    store.deliver("alice", "INBOX", MESSAGE, Set.of(), T0);
    InputStream broken =
        new InputStream() {
          private int sent;

          @Override
          public int read() throws IOException {
            if (sent++ > 1000) {
              throw new IOException("client went away");
            }
            return 'x';
          }
        };

    assertThatThrownBy(() -> store.deliver("alice", "INBOX", broken, Set.of(), T0))
        .isInstanceOf(IOException.class);
    Path maildir = root.resolve("alice/Maildir");
    assertThat(files(maildir.resolve("tmp"))).isEmpty();
    assertThat(files(maildir.resolve("new"))).hasSize(1);
    assertThat(store.folder("alice", "INBOX").snapshot().messages()).hasSize(1);
  }

  @Test
  void aDeletedModSeqFileIsWrittenAgainAndDeliveriesAndFlagChangesGoOn() throws IOException {
    MailStore store = store();
    store.deliver("carol", "INBOX", MESSAGE, Set.of(), T0);
    MailFolder inbox = store.folder("carol", "INBOX");
    long before = inbox.snapshot().highestModSeq();
    Path file = root.resolve("carol/Maildir/vireo-modseq");
    Files.delete(file);

    store.deliver("carol", "INBOX", MESSAGE, Set.of(), T0);
    FolderSnapshot flagged = inbox.updateFlags(List.of(1L), flags -> Set.of(Flag.FLAGGED));

    assertThat(flagged.highestModSeq()).isGreaterThan(before);
    assertThat(Files.readString(file)).startsWith("V");
    FolderSnapshot reopened = store().folder("carol", "INBOX").snapshot();
    assertThat(reopened.highestModSeq()).isGreaterThanOrEqualTo(flagged.highestModSeq());
    assertThat(reopened.byUid(1).modSeq()).isEqualTo(flagged.byUid(1).modSeq());
  }

  @Test
  void uidsAndUidValiditySurviveAReopenAndNewMailGetsTheNextUid() throws IOException {
    MailStore first = store();
    for (int i = 0; i < 3; i++) {
      first.deliver("bob", "INBOX", MESSAGE, Set.of(), T0);
    }
    MailFolder inbox = first.folder("bob", "INBOX");
    inbox.expunge(List.of(2L));
    FolderSnapshot before = inbox.snapshot();

    MailStore second = store();
    FolderSnapshot after = second.folder("bob", "INBOX").snapshot();
    assertThat(after.uidValidity()).isEqualTo(before.uidValidity());
    assertThat(after.uids()).containsExactly(1, 3);
    assertThat(after.uidNext()).isEqualTo(4);
    assertThat(second.deliver("bob", "INBOX", MESSAGE, Set.of(), T0).uid()).isEqualTo(4);
    assertThat(Files.readString(root.resolve("bob/Maildir/dovecot-uidlist")))
        .startsWith("3 V" + before.uidValidity() + " N4 G")
        .contains("1 :", "3 :")
        .doesNotContain("\n2 :");
  }

  @Test
  void flagsLiveInTheFileNameAndClaimingMovesNewToCur() throws IOException {
    MailStore store = store();
    store.deliver("carol", "INBOX", MESSAGE, Set.of(), T0);
    store.deliver("carol", "INBOX", MESSAGE, EnumSet.of(Flag.SEEN), T0);
    MailFolder inbox = store.folder("carol", "INBOX");
    assertThat(inbox.snapshot().byUid(2).inNew()).isFalse();

    inbox.claimNew();
    inbox.updateFlags(
        List.of(1L),
        flags -> {
          flags.add(Flag.FLAGGED);
          flags.add(Flag.ANSWERED);
          return flags;
        });

    Path cur = root.resolve("carol/Maildir/cur");
    assertThat(files(root.resolve("carol/Maildir/new"))).isEmpty();
    assertThat(files(cur)).extracting(p -> p.getFileName().toString().replaceAll("^.*:", ":"))
        .containsExactlyInAnyOrder(":2,FR", ":2,S");
    FolderSnapshot reopened = store().folder("carol", "INBOX").snapshot();
    assertThat(reopened.byUid(1).flags()).containsExactlyInAnyOrder(Flag.FLAGGED, Flag.ANSWERED);
    assertThat(reopened.byUid(2).flags()).containsExactly(Flag.SEEN);
  }

  @Test
  void readsAMaildirWrittenByDovecotWithLfLinesSizeHintsKeywordsAndItsUidList() throws IOException {
    Path maildir = root.resolve("dave/Maildir");
    for (String sub : List.of("tmp", "new", "cur")) {
      Files.createDirectories(maildir.resolve(sub));
    }
    byte[] lf = "Subject: lf\n\nbody\n".getBytes(US_ASCII);
    Files.write(maildir.resolve("cur/1700000000.M1P2.dove,S=18,W=21:2,Sa"), lf);
    Files.write(maildir.resolve("new/1700000001.M1P2.dove,S=18,W=21"), lf);
    Files.writeString(
        maildir.resolve("dovecot-uidlist"),
        "3 V1700000000 N8 Gabcdef\n7 W21 :1700000000.M1P2.dove,S=18,W=21\n");

    MailStore store = store();
    MailFolder inbox = store.folder("dave", "INBOX");
    FolderSnapshot snapshot = inbox.snapshot();
    assertThat(snapshot.uidValidity()).isEqualTo(1700000000L);
    assertThat(snapshot.uids()).containsExactly(7, 8);
    MailMessage first = snapshot.byUid(7);
    assertThat(first.size()).isEqualTo(21);
    assertThat(first.flags()).containsExactly(Flag.SEEN);
    assertThat(new String(read(inbox, first), US_ASCII)).isEqualTo("Subject: lf\r\n\r\nbody\r\n");

    inbox.updateFlags(List.of(7L), flags -> EnumSet.of(Flag.DELETED));
    assertThat(Files.exists(maildir.resolve("cur/1700000000.M1P2.dove,S=18,W=21:2,Ta"))).isTrue();
    assertThat(store.usedBytes("dave")).isEqualTo(42);
  }

  @Test
  void picksUpMessagesAnotherProgramDeliveredOnRefresh() throws IOException {
    MailStore store = store();
    store.deliver("erin", "INBOX", MESSAGE, Set.of(), T0);
    MailFolder inbox = store.folder("erin", "INBOX");
    AtomicInteger changes = new AtomicInteger();
    inbox.watch(changes::incrementAndGet);
    Files.write(root.resolve("erin/Maildir/new/1800000000.M5P6.other"), MESSAGE);

    FolderSnapshot refreshed = inbox.refresh();
    assertThat(refreshed.uids()).containsExactly(1, 2);
    assertThat(changes).hasValue(1);
    assertThat(store.usedBytes("erin")).isEqualTo(2L * MESSAGE.length);
  }

  @Test
  void foldersAreMaildirPlusPlusDirectories() throws IOException {
    MailStore store = store();
    store.createFolder("frank", "Work");
    store.createFolder("frank", "Work.2026");
    store.deliver("frank", "Archive", MESSAGE, Set.of(Flag.SEEN), T0);

    assertThat(store.folders("frank")).containsExactly("INBOX", "Archive", "Work", "Work.2026");
    assertThat(root.resolve("frank/Maildir/.Work.2026/cur")).isDirectory();
    assertThat(root.resolve("frank/Maildir/.Work/maildirfolder")).exists();
    assertThatThrownBy(() -> store.createFolder("frank", "Work"))
        .isInstanceOfSatisfying(MailboxException.class,
            e -> assertThat(e.reason()).isEqualTo(MailboxException.Reason.ALREADY_EXISTS));
    assertThatThrownBy(() -> store.createFolder("frank", "../escape"))
        .isInstanceOfSatisfying(MailboxException.class,
            e -> assertThat(e.reason()).isEqualTo(MailboxException.Reason.INVALID_NAME));
    assertThatThrownBy(() -> store.deleteFolder("frank", "inbox"))
        .isInstanceOfSatisfying(MailboxException.class,
            e -> assertThat(e.reason()).isEqualTo(MailboxException.Reason.CANNOT));

    store.renameFolder("frank", "Work", "Jobs");
    assertThat(store.folders("frank")).containsExactly("INBOX", "Archive", "Jobs", "Jobs.2026");
    store.deleteFolder("frank", "Archive");
    assertThat(store.folders("frank")).containsExactly("INBOX", "Jobs", "Jobs.2026");
    assertThat(store.usedBytes("frank")).isZero();
    assertThatThrownBy(() -> store.folder("frank", "Archive"))
        .isInstanceOfSatisfying(MailboxException.class,
            e -> assertThat(e.reason()).isEqualTo(MailboxException.Reason.NONEXISTENT));

    store.subscribe("frank", "Jobs");
    store.subscribe("frank", "inbox");
    store.unsubscribe("frank", "Nothing");
    assertThat(store().subscriptions("frank")).containsExactly("Jobs", "INBOX");
  }

  @Test
  void copyKeepsFlagsAndGivesTargetUidsInOrder() throws IOException {
    MailStore store = store();
    store.deliver("gina", "INBOX", MESSAGE, Set.of(Flag.FLAGGED), T0);
    store.deliver("gina", "INBOX", MESSAGE, Set.of(), T0);
    store.createFolder("gina", "Saved");
    MailFolder inbox = store.folder("gina", "INBOX");
    MailFolder saved = store.folder("gina", "Saved");

    List<MailFolder.Copied> copied = inbox.copyTo(saved, List.of(2L, 1L));
    assertThat(copied).containsExactly(new MailFolder.Copied(2, 1), new MailFolder.Copied(1, 2));
    assertThat(saved.snapshot().byUid(2).flags()).containsExactly(Flag.FLAGGED);
    assertThat(read(saved, saved.snapshot().byUid(1))).isEqualTo(MESSAGE);
    assertThat(store.usedBytes("gina")).isEqualTo(4L * MESSAGE.length);
  }

  @Test
  void usageCountsEveryFolderAndFollowsDeliveryAndExpunge() throws IOException {
    store().deliver("hank", "INBOX", MESSAGE, Set.of(), T0);
    store().deliver("hank", "Sent", MESSAGE, Set.of(), T0);
    MailStore store = store();
    assertThat(store.usedBytes("nobody")).isZero();
    assertThat(store.usedBytes("hank")).isEqualTo(2L * MESSAGE.length);
    store.deliver("hank", "INBOX", MESSAGE, Set.of(), T0);
    assertThat(store.usedBytes("hank")).isEqualTo(3L * MESSAGE.length);
    store.folder("hank", "INBOX").expunge(List.of(1L));
    assertThat(store.usedBytes("hank")).isEqualTo(2L * MESSAGE.length);
  }

  @Test
  void theMaildropLockIsExclusiveUntilClosed() throws IOException {
    MailStore store = store();
    Optional<MaildropLock> first = store.tryLockMaildrop("ivy");
    assertThat(first).isPresent();
    assertThat(store.tryLockMaildrop("ivy")).isEmpty();
    assertThat(store.tryLockMaildrop("jack")).isPresent();
    first.get().close();
    first.get().close();
    assertThat(store.tryLockMaildrop("ivy")).isPresent();
  }

  @Test
  void concurrentDeliveriesAndFlagChangesKeepEveryMessageOnceWithDistinctUids() throws Exception {
    MailStore store = store();
    store.deliver("kim", "INBOX", MESSAGE, Set.of(), T0);
    MailFolder inbox = store.folder("kim", "INBOX");
    AtomicInteger heard = new AtomicInteger();
    inbox.watch(heard::incrementAndGet);
    int writers = 8;
    int each = 25;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> work = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < writers; w++) {
        work.add(
            threads.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < each; i++) {
                    store.deliver("kim", "INBOX", MESSAGE, Set.of(), T0);
                  }
                  return null;
                }));
      }
      work.add(
          threads.submit(
              () -> {
                start.await();
                for (int i = 0; i < each; i++) {
                  inbox.updateFlags(List.of(1L), flags -> {
                    flags.add(Flag.SEEN);
                    return flags;
                  });
                  inbox.claimNew();
                }
                return null;
              }));
      start.countDown();
      for (Future<?> f : work) {
        f.get(60, TimeUnit.SECONDS);
      }
    }
    FolderSnapshot snapshot = store().folder("kim", "INBOX").snapshot();
    int total = 1 + writers * each;
    assertThat(snapshot.messages()).hasSize(total);
    assertThat(snapshot.uids()).doesNotHaveDuplicates();
    assertThat(snapshot.uidNext()).isEqualTo(total + 1);
    assertThat(heard.get()).isGreaterThanOrEqualTo(writers * each);
    try (Stream<Path> names = Stream.concat(
        files(root.resolve("kim/Maildir/new")).stream(), files(root.resolve("kim/Maildir/cur")).stream())) {
      assertThat(names.count()).isEqualTo(total);
    }
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.toList();
    }
  }
}
