package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigLoader;
import io.vireo.mailbox.testing.ExternalTool;
import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.SpoolOptions;
import io.vireo.queue.chronicle.ChronicleSpool;
import io.vireo.queue.chronicle.SpoolCheckReport;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool's disk fills up for real: the relay runs with its spool on a 192 MiB ext4 file system
 * that this test makes in an image file and loop-mounts (as root), a filler file leaves a few MiB above the spool's free-space floor ({@link
 * SpoolOptions#DEFAULT_MIN_FREE_BYTES}, 64 MiB, which the relay uses), and SMTP traffic fills the
 * rest. The relay must answer {@code 452 4.3.1} (RFC 3463: mail system full) while keeping this and
 * other sessions going, accept mail again once the filler is deleted, and after a restart on the
 * same spool hold every message it acknowledged with 250 exactly once, with {@code vireo spool check}
 * finding no damage. Skipped when not root outside CI; in CI (root) a failed mount fails it.
 *
 * <p>Not tmpfs: reading the zero-filled tail of Chronicle's pre-allocated (sparse) journal files
 * through a memory mapping, as recovery does, allocates tmpfs pages, so a restart on a small tmpfs
 * fails with a SIGBUS (InternalError) that a disk never gives (relay/README.md#fuzzing).
 */
class SpoolDiskFullIntegrationTest {
  // Room enough that once the filler is gone the disk is well above the floor again: on a loaded
  // machine the spool's journals took up to 26 MiB while 6 MiB of messages went in, and with a
  // 96 MiB file system the disk then stayed below the 64 MiB floor after the filler was deleted.
  private static final long FS_BYTES = 192L << 20;
  private static final long HEADROOM = 6L << 20;
  private static final int MESSAGE_LINES = 3_000; // ~230 KB
  private static final int MAX_MESSAGES = 400; // far more than 6 MiB of headroom can take
  private static final Duration RESUME_WAIT = Duration.ofSeconds(60);
  private static final Duration UNMOUNT_WAIT = Duration.ofSeconds(15);
  private static final String SMALL = "Subject: small\r\n\r\nhi\r\n";

  @TempDir Path dir;
  private Path mountPoint;
  private boolean mounted;

  @BeforeEach
  void mountSmallFileSystem() throws Exception {
    ExternalTool.requireThat(
        "root".equals(System.getProperty("user.name")),
        "loop-mounting a small file system for the spool needs root; run the build as root (CI does)");
    ExternalTool.require("mkfs.ext4", "e2fsprogs");
    mountPoint = Files.createDirectory(dir.resolve("fs"));
    Path image = dir.resolve("fs.img");
    try (var file = new java.io.RandomAccessFile(image.toFile(), "rw")) {
      file.setLength(FS_BYTES); // sparse: costs the real disk only what the test writes
    }
    // -m 0: no blocks reserved for root, so the test (root) sees what the relay sees.
    ProcessRunner.Result mkfs = run("mkfs.ext4", "-q", "-F", "-m", "0", image.toString());
    assertThat(mkfs.exitCode()).as("mkfs.ext4: %s", mkfs.output()).isZero();
    ProcessRunner.Result mount = run("mount", "-o", "loop", image.toString(), mountPoint.toString());
    ExternalTool.requireThat(
        mount.exitCode() == 0, "cannot loop-mount an ext4 image (needs root and /dev/loop*): " + mount.output());
    mounted = true;
  }

  @AfterEach
  void unmount() throws Exception {
    if (!mounted) {
      return;
    }
    // Chronicle may release its last mappings just after the relay closed; then the unmount works.
    ProcessRunner.Result[] umount = new ProcessRunner.Result[1];
    try {
      Await.until(
          "the spool file system unmounts",
          UNMOUNT_WAIT,
          () -> {
            umount[0] = runUnchecked("umount", mountPoint.toString());
            return umount[0].exitCode() == 0;
          });
    } finally {
      if (umount[0] == null || umount[0].exitCode() != 0) {
        // Detach it anyway so the machine is left clean; the failure above still reports it.
        run("umount", "-l", mountPoint.toString());
      }
    }
  }

  @Test
  void fullSpoolAnswers452KeepsSessionsAndLosesNothingAcknowledged() throws Exception {
    Path spool = mountPoint.resolve("spool");
    Path filler = mountPoint.resolve("filler");
    String body = "x".repeat(74) + "\r\n";
    String bigContent = "Subject: filling\r\n\r\n" + body.repeat(MESSAGE_LINES);
    List<String> acknowledged = new ArrayList<>();

    try (Relay relay = Relay.start(ConfigLoader.parse(TestRelays.yaml(spool, ""), "test.yaml"))) {
      int port = TestRelays.smtpPort(relay);
      long usable = Files.getFileStore(mountPoint).getUsableSpace();
      fill(filler, usable - SpoolOptions.DEFAULT_MIN_FREE_BYTES - HEADROOM);

      try (SmtpTestClient filling = SmtpTestClient.greeted("127.0.0.1", port)) {
        filling.ehlo("filler.test");
        String refusal = null;
        for (int i = 0; i < MAX_MESSAGES && refusal == null; i++) {
          Outcome outcome = trySend(filling, "user" + i + "@example.net", bigContent);
          if (outcome.queueId() != null) {
            acknowledged.add(outcome.queueId());
          } else {
            refusal = outcome.reply();
          }
        }
        assertThat(refusal).as("reply once the disk is full").startsWith("452 4.3.1");
        assertThat(acknowledged).as("messages accepted before the disk was full").isNotEmpty();

        // The session goes on: it is answered, and a new transaction is refused the same way.
        filling.command("NOOP", 250);
        assertThat(trySend(filling, "again@example.net", bigContent).reply()).startsWith("452 4.3.1");

        // Other sessions are served too.
        try (SmtpTestClient other = SmtpTestClient.greeted("127.0.0.1", port)) {
          other.ehlo("other.test");
          other.command("NOOP", 250);
          assertThat(trySend(other, "other@example.net", bigContent).reply())
              .startsWith("452 4.3.1");
        }

        // Space comes back: acceptance resumes (a refusal makes the guard read the disk again).
        Files.delete(filler);
        Await.until(
            "the relay accepts mail again",
            RESUME_WAIT,
            () -> {
              Outcome outcome = trySendUnchecked(filling, "resumed@example.net", SMALL);
              if (outcome.queueId() != null) {
                acknowledged.add(outcome.queueId());
                return true;
              }
              assertThat(outcome.reply()).startsWith("452 4.3.1");
              return false;
            });
        for (int i = 0; i < 5; i++) {
          acknowledged.add(filling.sendMessage("app@example.com", List.of("after" + i + "@example.net"), bigContent));
        }
      }
    }

    // Restart on the same spool: every acknowledged message is there, once.
    try (Relay restarted = Relay.start(ConfigLoader.parse(TestRelays.yaml(spool, ""), "test.yaml"))) {
      Map<String, Long> queued =
          restarted.spool().pending().stream()
              .map(QueuedMessage::id)
              .map(MessageId::value)
              .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
      for (String id : acknowledged) {
        assertThat(queued.get(id)).as("copies of acknowledged message %s", id).isEqualTo(1L);
      }
      assertThat(queued).as("messages that were never acknowledged").hasSize(acknowledged.size());
    }
    SpoolCheckReport report = ChronicleSpool.check(spool, false, Clock.systemUTC());
    assertThat(report.findings()).as("spool check findings").isEmpty();
    assertThat(report.queuedMessages()).isEqualTo(acknowledged.size());
  }

  private record Outcome(String queueId, String reply) {}

  /** One transaction; the final reply's text, and the queue id when it was a 250. */
  private static Outcome trySend(SmtpTestClient client, String recipient, String content)
      throws IOException {
    client.command("MAIL FROM:<app@example.com>", 250);
    client.command("RCPT TO:<" + recipient + ">", 250);
    client.command("DATA", 354);
    String reply = client.sendContent(content).raw();
    java.util.regex.Matcher queued =
        java.util.regex.Pattern.compile("^250 .*queued as ([0-9A-Z]{20})").matcher(reply);
    return new Outcome(queued.find() ? queued.group(1) : null, reply);
  }

  private static Outcome trySendUnchecked(SmtpTestClient client, String recipient, String content) {
    try {
      return trySend(client, recipient, content);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Writes {@code bytes} of real data, so the file system has to allocate every block. */
  private static void fill(Path file, long bytes) throws IOException {
    byte[] block = new byte[1 << 20];
    java.util.Arrays.fill(block, (byte) 'f');
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = bytes; left > 0; left -= block.length) {
        out.write(block, 0, (int) Math.min(block.length, left));
      }
    }
  }

  private static ProcessRunner.Result run(String... command) throws Exception {
    return ProcessRunner.run(List.of(command), Duration.ofSeconds(30));
  }

  private static ProcessRunner.Result runUnchecked(String... command) {
    try {
      return run(command);
    } catch (Exception e) {
      throw new IllegalStateException("running " + String.join(" ", command), e);
    }
  }
}
