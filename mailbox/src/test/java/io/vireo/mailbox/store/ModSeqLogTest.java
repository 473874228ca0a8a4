package io.vireo.mailbox.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code vireo-modseq} file: what a crash mid-append leaves, and the rewrite of a long one. */
class ModSeqLogTest {
  @TempDir Path folder;

  private static MailMessage message(long uid, Set<Flag> flags, long modSeq) {
    return new MailMessage(uid, "1700000000.M" + uid + "P1.host", false, flags, "", 10, false, Instant.EPOCH, modSeq);
  }

  @Test
  void aLineCutByACrashIsIgnoredAndTheNextAppendStartsALineOfItsOwn() throws Exception {
    Files.writeString(
        folder.resolve("vireo-modseq"), "V77\n1 2 -\n2 3 S\nx 2 4\n1 5 F", StandardCharsets.US_ASCII);
    ModSeqLog log = new ModSeqLog(folder);
    ModSeqLog.Contents read = log.read();
    assertThat(read.uidValidity()).isEqualTo(77);
    assertThat(read.highest()).isEqualTo(5);
    // "1 5 F" may have lost letters: if so, they differ from the file name's and the folder gives
    // the message a new mod-sequence (ModSeqs.afterScan); the highest counts either way.
    assertThat(read.entries()).containsOnlyKeys(1L);
    assertThat(read.entries().get(1L)).isEqualTo(new ModSeqLog.Entry(5, Set.of(Flag.FLAGGED)));

    log.append(List.of(message(3, Set.of(Flag.SEEN, Flag.DRAFT), 6)), List.of(1L), 7);
    assertThat(Files.readString(folder.resolve("vireo-modseq")))
        .isEqualTo("V77\n1 2 -\n2 3 S\nx 2 4\n1 5 F\n3 6 DS\nx 1 7\n- 10007\n");
    ModSeqLog.Contents again = new ModSeqLog(folder).read();
    assertThat(again.highest()).isEqualTo(10007);
    assertThat(again.entries()).containsOnlyKeys(3L);
  }

  @Test
  void onlyAnAppendPastTheReservedModSeqReservesMoreSoALoadNeverGoesBelowOneHandedOut()
      throws Exception {
    ModSeqLog log = new ModSeqLog(folder);
    log.rewrite(new FolderSnapshot(5, 2, 1, List.of(message(1, Set.of(), 1)), 1));
    log.append(List.of(message(1, Set.of(Flag.SEEN), 2)), List.of(), 0);
    for (long modSeq = 3; modSeq <= 10_002; modSeq++) {
      log.append(List.of(message(1, Set.of(Flag.SEEN), modSeq)), List.of(), 0);
    }
    log.append(List.of(), List.of(1L), 10_003);

    List<String> reservations =
        Files.readAllLines(folder.resolve("vireo-modseq")).stream()
            .filter(line -> line.startsWith("- "))
            .toList();
    // The rewrite's highest, then one reservation at 2 and the next once 10,002 passed it.
    assertThat(reservations).containsExactly("- 1", "- 10002", "- 20003");
    // Whichever unsynced lines a power loss took, the highest read is at least any handed out.
    Path cut = Files.createDirectory(folder.resolve("cut"));
    List<String> synced = Files.readAllLines(folder.resolve("vireo-modseq"));
    int lastReservation = synced.lastIndexOf("- 20003");
    Files.write(cut.resolve("vireo-modseq"), synced.subList(0, lastReservation + 1));
    assertThat(new ModSeqLog(cut).read().highest()).isGreaterThanOrEqualTo(10_003);
  }

  @Test
  void aLongLogIsRewrittenWithOneLinePerMessageAndTheHighest() throws Exception {
    List<MailMessage> messages = new ArrayList<>();
    for (long uid = 1; uid <= 3; uid++) {
      messages.add(message(uid, Set.of(), uid + 1));
    }
    ModSeqLog log = new ModSeqLog(folder);
    log.rewrite(new FolderSnapshot(9, 4, 1, messages, 4));
    for (int i = 0; i < 1010; i++) {
      log.append(List.of(message(1, Set.of(Flag.SEEN), 5 + i)), List.of(), 0);
    }
    assertThat(log.wasteful(3)).isTrue();
    log.rewrite(new FolderSnapshot(9, 4, 2, messages, 2000));
    assertThat(log.wasteful(3)).isFalse();
    assertThat(Files.readString(folder.resolve("vireo-modseq"))).isEqualTo("V9\n1 2 -\n2 3 -\n3 4 -\n- 2000\n");
    assertThat(new ModSeqLog(folder).read().highest()).isEqualTo(2000);
    try (var staged = Files.list(folder.resolve("tmp"))) {
      assertThat(staged).isEmpty();
    }
  }
}
