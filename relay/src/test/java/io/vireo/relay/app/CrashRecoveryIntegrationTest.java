package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a relay process with SIGKILL while concurrent clients send, restarts it, and checks that every
 * message that got a 250 is still queued, exactly once.
 */
class CrashRecoveryIntegrationTest {
  private static final int SENDERS = 16;
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  @TempDir Path dir;

  @Test
  void everyAcknowledgedMessageSurvivesKillDashNine() throws Exception {
    Path spool = dir.resolve("spool");
    Path config = dir.resolve("vireo.yaml");
    Files.writeString(config, TestRelays.yaml(spool, ""));
    ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();

    try (RelayProcess relay = RelayProcess.serve(config)) {
      int port = relay.awaitReady(DEADLINE);
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> senders = new ArrayList<>();
      for (int s = 0; s < SENDERS; s++) {
        int sender = s;
        senders.add(Thread.ofVirtual().start(() -> send(port, sender, stop, acknowledged)));
      }
      // Kill at a random moment once traffic is flowing.
      int killAfter = ThreadLocalRandom.current().nextInt(50, 400);
      Instant deadline = Instant.now().plus(DEADLINE);
      while (acknowledged.size() < killAfter
          && Instant.now().isBefore(deadline)
          && senders.stream().anyMatch(Thread::isAlive)) {
        Thread.sleep(Duration.ofMillis(5)); // polls a condition under a deadline
      }
      assertThat(acknowledged.size()).as("messages acknowledged before the kill").isGreaterThanOrEqualTo(killAfter);
      relay.kill();
      stop.set(true);
      for (Thread sender : senders) {
        assertThat(sender.join(Duration.ofSeconds(30))).isTrue();
      }
    }

    ProcessRunner.Result listing =
        RelayProcess.run(DEADLINE, "queue", "list", "--json", "--spool", spool.toString());
    assertThat(listing.exitCode()).as(listing.output()).isZero();
    List<String> listed = idsIn(listing.output());
    assertThat(listed).doesNotHaveDuplicates();
    assertThat(new HashSet<>(listed)).containsAll(acknowledged);

    // And the restarted relay recovers the same queue and takes mail again.
    try (RelayProcess relay = RelayProcess.serve(config)) {
      int port = relay.awaitReady(DEADLINE);
      try (SmtpTestClient client = SmtpTestClient.greeted("127.0.0.1", port)) {
        client.ehlo("after.crash.test");
        acknowledged.add(client.sendMessage("a@example.com", List.of("b@example.net"), "Subject: after\r\n\r\nx\r\n"));
      }
    }
    ProcessRunner.Result after =
        RelayProcess.run(DEADLINE, "queue", "list", "--json", "--spool", spool.toString());
    List<String> listedAfter = idsIn(after.output());
    assertThat(listedAfter).doesNotHaveDuplicates();
    assertThat(new HashSet<>(listedAfter)).containsAll(acknowledged);
  }

  private static void send(
      int port, int sender, AtomicBoolean stop, ConcurrentLinkedQueue<String> acknowledged) {
    try (SmtpTestClient client = SmtpTestClient.greeted("127.0.0.1", port)) {
      client.ehlo("sender" + sender + ".test");
      for (int i = 0; i < 100_000 && !stop.get(); i++) {
        String body = "Subject: crash " + sender + "-" + i + "\r\n\r\n" + ("x".repeat(76) + "\r\n").repeat(26);
        acknowledged.add(client.sendMessage("s" + sender + "@example.com", List.of("r" + i + "@example.net"), body));
      }
    } catch (IOException e) {
      // Expected once the relay is killed: a message without a 250 was never promised.
    }
  }

  private static List<String> idsIn(String json) throws IOException {
    List<String> ids = new ArrayList<>();
    String document = json.substring(json.indexOf('{'));
    try (JsonParser parser = new JsonFactory().createParser(document)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        // One object per message, each with its "queue_id".
        if (token == JsonToken.FIELD_NAME && "queue_id".equals(parser.currentName())) {
          parser.nextToken();
          ids.add(parser.getText());
        }
      }
    }
    return ids;
  }
}
