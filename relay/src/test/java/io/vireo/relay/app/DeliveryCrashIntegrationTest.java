package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.Spool;
import io.vireo.queue.chronicle.ChronicleSpool;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.ScriptedSmtpServer;
import io.vireo.relay.testing.ScriptedSmtpServer.ReceivedMessage;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a relay process with SIGKILL while it delivers, restarts it from the same spool, and checks
 * the delivery promise end to end: every accepted message reaches the next hop at least once; only
 * transactions that were in flight at the kill are sent again; a message whose delivery the relay
 * had recorded is never sent twice.
 *
 * <p>The next hop answers each message's content after a short pause, so the relay's {@value
 * #CONNECTIONS} connections are nearly always in the middle of a transaction. A transaction is
 * known to have been recorded when the relay went on to the next one on the same connection: the
 * relay records an outcome before it takes the next job. So only the last transaction of each
 * connection from before the kill may arrive twice.
 */
class DeliveryCrashIntegrationTest {
  private static final Logger log = LoggerFactory.getLogger(DeliveryCrashIntegrationTest.class);

  private static final int MESSAGES = 200;
  private static final int SENDERS = 4;
  private static final int CONNECTIONS = 4;
  private static final int RECIPIENTS_PER_TRANSACTION = 1;
  private static final int KILL_AFTER_DELIVERED = 60;
  private static final Duration DATA_REPLY_DELAY = Duration.ofMillis(80);
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final Pattern SEQUENCE = Pattern.compile("(?m)^X-Crash-Seq: (\\d+)$");

  @TempDir Path dir;

  @Test
  void killDuringDeliveryResendsOnlyWhatWasInFlightAndLosesNothing() throws Exception {
    try (ScriptedSmtpServer nextHop = new ScriptedSmtpServer("127.0.0.8")) {
      nextHop.hostname("next-hop.crash.test").onData(n -> pauseBeforeReply());
      Path spool = dir.resolve("spool");
      Path config = dir.resolve("vireo.yaml");
      Files.writeString(config, config(spool, nextHop.port()));
      Map<Integer, String> accepted = new ConcurrentHashMap<>();

      // First run: take mail and deliver until SIGKILL, mid-delivery.
      try (RelayProcess relay = RelayProcess.serve(config)) {
        int port = relay.awaitReady(DEADLINE);
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
          int sender = s;
          senders.add(
              Thread.ofVirtual().name("sender-" + s).start(() -> send(port, sender, accepted)));
        }
        Await.until(
            KILL_AFTER_DELIVERED + " messages at the next hop",
            DEADLINE,
            () -> sequences(nextHop.transactions()).size() >= KILL_AFTER_DELIVERED);
        relay.kill();
        for (Thread sender : senders) {
          assertThat(sender.join(DEADLINE)).as("sender finished").isTrue();
        }
      }
      // Every session of the killed relay must be over before its transactions are counted.
      nextHop.awaitSessionsEnded(nextHop.connectionCount(), DEADLINE);
      List<ReceivedMessage> beforeKill = nextHop.transactions();
      Set<Integer> deliveredBeforeKill = new HashSet<>(sequences(beforeKill));
      Set<Integer> lastOnAConnection = lastOfEachConnection(beforeKill);
      assertThat(deliveredBeforeKill.size())
          .as("the kill came while deliveries were still to do")
          .isLessThan(accepted.size());

      // Second run: the same spool; the rest goes out.
      try (RelayProcess relay = RelayProcess.serve(config)) {
        relay.awaitReady(DEADLINE);
        Await.until(
            "every accepted message at the next hop",
            DEADLINE,
            () -> new HashSet<>(sequences(nextHop.transactions())).containsAll(accepted.keySet()));
      } // a graceful stop: whatever was still running finishes before the count below

      Map<Integer, Integer> deliveries = new TreeMap<>();
      for (ReceivedMessage message : nextHop.transactions()) {
        int sequence = sequenceOf(message);
        assertThat(message.recipients()).containsExactly(recipient(sequence));
        deliveries.merge(sequence, 1, Integer::sum);
      }
      Map<Integer, Integer> duplicated =
          deliveries.entrySet().stream()
              .filter(e -> e.getValue() > 1)
              .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
      int duplicates = duplicated.values().stream().mapToInt(count -> count - 1).sum();
      log.info(
          "{} messages accepted, {} delivered before the kill over {} connections, {} duplicates"
              + " after the restart: {}",
          accepted.size(),
          deliveredBeforeKill.size(),
          lastOnAConnection.size(),
          duplicates,
          duplicated.keySet());

      assertThat(deliveries.keySet()).as("delivered at least once").containsAll(accepted.keySet());
      assertThat(duplicates)
          .as("no more duplicates than transactions that can be in flight")
          .isLessThanOrEqualTo(CONNECTIONS * RECIPIENTS_PER_TRANSACTION);
      assertThat(duplicated.keySet())
          .as("only a connection's last transaction before the kill is sent again")
          .isSubsetOf(lastOnAConnection);
      for (int sequence : deliveredBeforeKill) {
        if (!lastOnAConnection.contains(sequence)) {
          assertThat(deliveries.get(sequence))
              .as("message %d, recorded as delivered before the kill", sequence)
              .isEqualTo(1);
        }
      }
      try (Spool journal = ChronicleSpool.openReadOnly(spool)) {
        for (String id : accepted.values()) {
          assertThat(journal.find(new MessageId(id)))
              .as("queue state of %s", id)
              .get()
              .extracting(QueuedMessage::recipients)
              .satisfies(
                  recipients ->
                      assertThat(recipients)
                          .extracting(RecipientStatus::state)
                          .containsExactly(RecipientState.DELIVERED));
        }
      }
    }
  }

  private static String config(Path spool, int nextHopPort) {
    String delivery =
        """
        delivery:
          routes:
            - { domains: ["crash.test"], via: "127.0.0.8:%d", tls: none }
          retry:
            schedule: [300ms]
            max-age: 10m
          defaults:
            connections: %d
        """
            .formatted(nextHopPort, CONNECTIONS);
    return TestRelays.yaml(spool, delivery, "");
  }

  /** The next hop's pause before answering a message's content: transactions stay in flight. */
  private static String pauseBeforeReply() {
    try {
      Thread.sleep(DATA_REPLY_DELAY);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null; // the default 250
  }

  private static void send(int port, int sender, Map<Integer, String> accepted) {
    int perSender = MESSAGES / SENDERS;
    try (SmtpTestClient client = SmtpTestClient.greeted("127.0.0.1", port)) {
      client.ehlo("sender" + sender + ".test");
      for (int i = 0; i < perSender; i++) {
        int sequence = sender * perSender + i;
        String content =
            "Subject: crash " + sequence + "\r\nX-Crash-Seq: " + sequence + "\r\n\r\nbody\r\n";
        accepted.put(
            sequence, client.sendMessage("app@sender.test", List.of(recipient(sequence)), content));
      }
    } catch (IOException e) {
      // The relay was killed: a message without a 250 was never promised.
    }
  }

  private static String recipient(int sequence) {
    return "r" + sequence + "@crash.test";
  }

  private static int sequenceOf(ReceivedMessage message) {
    Matcher matcher = SEQUENCE.matcher(message.dataAsString());
    if (!matcher.find()) {
      throw new AssertionError("no X-Crash-Seq in " + message.dataAsString());
    }
    return Integer.parseInt(matcher.group(1));
  }

  private static List<Integer> sequences(List<ReceivedMessage> messages) {
    return messages.stream().map(DeliveryCrashIntegrationTest::sequenceOf).toList();
  }

  /** The message of each connection's last transaction, the only ones that can be unrecorded. */
  private static Set<Integer> lastOfEachConnection(List<ReceivedMessage> messages) {
    Map<Integer, Integer> last = new LinkedHashMap<>();
    for (ReceivedMessage message : messages) { // arrival order
      last.put(message.connection(), sequenceOf(message));
    }
    return new HashSet<>(last.values());
  }
}
