package io.vireo.queue.chronicle;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.Durability;
import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.RecipientState;
import io.vireo.queue.SpoolOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer process killed with SIGKILL (kill -9) while storing, never closing its spool: every
 * message it acknowledged, and every event it confirmed, must be there for a read-only view and
 * after reopening.
 */
class AbruptStopTest {
  private static final int ACKS_BEFORE_KILL = 300;

  @TempDir Path dir;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void everyAcknowledgedMessageSurvivesKillDashNine() throws Exception {
    Process child = startWriter();
    Set<MessageId> acknowledged = new HashSet<>();
    Set<MessageId> deferred = new HashSet<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
      String line;
      while (acknowledged.size() < ACKS_BEFORE_KILL
          && System.nanoTime() < deadline
          && (line = out.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          acknowledged.add(new MessageId(line.substring(4)));
        } else if (line.startsWith("DEFERRED ")) {
          deferred.add(new MessageId(line.substring(9)));
        }
        if (acknowledged.size() == ACKS_BEFORE_KILL / 2) {
          // Halfway, look in from outside while the writer owns the spool.
          try (ChronicleSpool view = ChronicleSpool.openReadOnly(dir)) {
            assertThat(view.pending()).isNotEmpty();
          }
        }
      }
      assertThat(acknowledged).as("acknowledgements before the deadline").hasSize(ACKS_BEFORE_KILL);
      // SIGKILL through the process handle: Process.destroyForcibly would also close our end of its
      // pipe.
      child.toHandle().destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      // Whatever the child printed before it died was promised too.
      while ((line = out.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          acknowledged.add(new MessageId(line.substring(4)));
        } else if (line.startsWith("DEFERRED ")) {
          deferred.add(new MessageId(line.substring(9)));
        }
      }
    } finally {
      child.destroyForcibly();
    }

    try (ChronicleSpool view = ChronicleSpool.openReadOnly(dir)) {
      assertSurvived(view, acknowledged, deferred);
    }
    try (ChronicleSpool spool =
        ChronicleSpool.open(
            new SpoolOptions(dir, Durability.GROUP, Clock.systemUTC())
                .withMaintenancePeriod(Duration.ZERO))) {
      assertSurvived(spool, acknowledged, deferred);
      // The reopened spool takes new writes after whatever the dead writer left half done.
      TestMessages messages = new TestMessages(Clock.systemUTC());
      var envelope = messages.envelope("after@example.com");
      spool.store(envelope, TestMessages.text("after the crash"));
      assertThat(spool.read(envelope.id())).isPresent();
    }
  }

  private static void assertSurvived(
      ChronicleSpool spool, Set<MessageId> acknowledged, Set<MessageId> deferred) {
    Set<MessageId> pending = new HashSet<>();
    for (QueuedMessage message : spool.pending()) {
      pending.add(message.id());
    }
    assertThat(pending).containsAll(acknowledged);
    for (MessageId id : deferred) {
      assertThat(spool.find(id).orElseThrow().recipients().getFirst().state())
          .isEqualTo(RecipientState.DEFERRED);
    }
    for (MessageId id : acknowledged.stream().limit(20).toList()) {
      assertThat(spool.read(id)).isPresent();
    }
  }

  private Process startWriter() throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new ArrayList<>();
    command.add(java);
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!argument.startsWith("-agentlib")
          && !argument.startsWith("-javaagent")
          && !argument.startsWith("-Xmx")) {
        command.add(argument);
      }
    }
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SpoolWriterProcess.class.getName());
    command.add(dir.toString());
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }
}
