package io.vireo.mailbox.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dotlock around {@code dovecot-uidlist}: what a writer killed with SIGKILL leaves behind. */
class UidListTest {
  @TempDir Path folder;

  @Test
  void aWriteLeavesTheListAndNeitherLockNorStagedFile() throws Exception {
    UidList uids = new UidList(folder, Clock.systemUTC());
    uids.write(contents(Map.of("1700000000.M1P1.host", 1L)));

    assertThat(uids.read().uids()).containsEntry("1700000000.M1P1.host", 1L);
    assertThat(folder.resolve("dovecot-uidlist.lock")).doesNotExist();
    try (var staged = Files.list(folder.resolve("tmp"))) {
      assertThat(staged).isEmpty();
    }
  }

  @Test
  void aLockNamingAProcessThatIsGoneIsBrokenAtOnce() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
    Files.writeString(
        folder.resolve("dovecot-uidlist.lock"),
        gone.pid() + ":" + InetAddress.getLocalHost().getHostName(),
        StandardCharsets.UTF_8);

    Instant start = Instant.now();
    new UidList(folder, Clock.systemUTC()).write(contents(Map.of("a", 1L)));
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void anEmptyLockLeftSecondsAgoIsBrokenWithoutWaitingMinutes() throws Exception {
    Path lock = Files.createFile(folder.resolve("dovecot-uidlist.lock"));
    Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minusSeconds(30)));

    Instant start = Instant.now();
    new UidList(folder, Clock.systemUTC()).write(contents(Map.of("a", 1L)));
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
  }

  private static UidList.Contents contents(Map<String, Long> uids) {
    return new UidList.Contents(1_700_000_000L, 2, "guid", new LinkedHashMap<>(uids));
  }
}
