package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.MessageId;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.Spool;
import io.vireo.queue.chronicle.ChronicleSpool;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a relay process with SIGKILL while it delivers into local Maildirs, restarts it on the same
 * spool and mailboxes, and checks local delivery's promise: every acknowledged message ends up in
 * the mailbox, no file in {@code new/} or {@code cur/} is partial (the store writes under {@code
 * tmp/} and renames), and a message is there twice only if its delivery was under way at the kill
 * (renamed into {@code new/} before its outcome reached the events journal): at least once, as for
 * SMTP, never a half message.
 */
class LocalDeliveryCrashIntegrationTest {
  private static final Logger log = LoggerFactory.getLogger(LocalDeliveryCrashIntegrationTest.class);

  private static final int MESSAGES = 240;
  private static final int SENDERS = 4;
  private static final int WORKERS = 4;
  private static final int KILL_AFTER_DELIVERED = 60;
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final Pattern SEQUENCE = Pattern.compile("\r\nX-Crash-Seq: (\\d+)\r\n");
  private static final String BODY = ("line of the body, long enough to take a few writes\r\n").repeat(200);

  @TempDir Path dir;

  @Test
  void killDuringLocalDeliveryLeavesNoPartialMessageAndLosesNothingAcknowledged()
      throws Exception {
    Path spool = dir.resolve("spool");
    Path mailboxes = dir.resolve("mailboxes");
    Path config = dir.resolve("vireo.yaml");
    Files.writeString(config, config(spool, mailboxes));
    Map<Integer, String> accepted = new ConcurrentHashMap<>();

    try (RelayProcess relay = RelayProcess.serve(config)) {
      int port = relay.awaitReady(DEADLINE);
      List<Thread> senders = new ArrayList<>();
      for (int s = 0; s < SENDERS; s++) {
        int sender = s;
        senders.add(
            Thread.ofVirtual().name("sender-" + s).start(() -> send(port, sender, accepted)));
      }
      Await.until(
          KILL_AFTER_DELIVERED + " messages in the mailbox",
          DEADLINE,
          () -> Maildirs.files(Maildirs.of(mailboxes, "sink"), "new", "cur").size()
              >= KILL_AFTER_DELIVERED);
      relay.kill();
      for (Thread sender : senders) {
        assertThat(sender.join(DEADLINE)).as("sender finished").isTrue();
      }
    }
    int beforeRestart = Maildirs.files(Maildirs.of(mailboxes, "sink"), "new", "cur").size();
    assertThat(beforeRestart).as("the kill came while deliveries were still to do")
        .isLessThan(accepted.size());
    assertNoPartialMessages(mailboxes);

    try (RelayProcess relay = RelayProcess.serve(config)) {
      relay.awaitReady(DEADLINE);
      try {
        Await.until(
            "every acknowledged message in the mailbox",
            DEADLINE,
            () -> copies(mailboxes).keySet().containsAll(accepted.keySet()));
      } catch (AssertionError e) {
        String output = relay.log();
        throw new AssertionError(
            e.getMessage() + ": " + copies(mailboxes).size() + " of " + accepted.size()
                + "; relay output:\n" + output.substring(Math.max(0, output.length() - 6000)),
            e);
      }
    } // a graceful stop: deliveries under way finish first

    assertNoPartialMessages(mailboxes);
    Map<Integer, Integer> copies = copies(mailboxes);
    int duplicates =
        copies.values().stream().mapToInt(count -> count - 1).sum();
    log.info(
        "{} messages acknowledged, {} in the mailbox at the kill, {} duplicates after the restart",
        accepted.size(),
        beforeRestart,
        duplicates);
    assertThat(copies.keySet()).as("delivered at least once").containsAll(accepted.keySet());
    assertThat(duplicates)
        .as("only deliveries under way at the kill are repeated")
        .isLessThanOrEqualTo(WORKERS);
    try (Spool journal = ChronicleSpool.openReadOnly(spool)) {
      for (String id : accepted.values()) {
        assertThat(journal.find(new MessageId(id)).orElseThrow().recipients())
            .extracting(RecipientStatus::state)
            .as("queue state of %s", id)
            .containsExactly(RecipientState.DELIVERED);
      }
    }
  }

  /** Every file a reader sees is a whole message: the envelope on top, the whole body below. */
  private static void assertNoPartialMessages(Path mailboxes) {
    for (String message : Maildirs.messages(mailboxes, "sink")) {
      assertThat(message).startsWith("Return-Path: <app@sender.test>\r\n").endsWith(BODY);
    }
  }

  /** How many copies of each sequence number the mailbox holds. */
  private static Map<Integer, Integer> copies(Path mailboxes) {
    Map<Integer, Integer> copies = new TreeMap<>();
    for (String message : Maildirs.messages(mailboxes, "sink")) {
      Matcher matcher = SEQUENCE.matcher(message);
      if (matcher.find()) {
        copies.merge(Integer.parseInt(matcher.group(1)), 1, Integer::sum);
      }
    }
    return copies;
  }

  private static String config(Path spool, Path mailboxes) {
    String delivery =
        """
        delivery:
          routes:
            - { domains: ["*"], via: "127.0.0.1:1", tls: none }
          retry:
            schedule: [300ms]
            max-age: 10m
          defaults:
            connections: %d
          # Delivery slower than acceptance, so the kill comes with deliveries still to do even on
          # a fast machine (unthrottled, local delivery kept pace with the senders).
          shaping:
            - { match: [crash.test], rate: 20/s }
        local:
          domains: [crash.test]
          catch-all: { crash.test: sink }
        mailbox:
          dir: "%s"
        """
            .formatted(WORKERS, mailboxes.toAbsolutePath());
    return TestRelays.yaml(spool, delivery, "");
  }

  private static void send(int port, int sender, Map<Integer, String> accepted) {
    int perSender = MESSAGES / SENDERS;
    try (SmtpTestClient client = SmtpTestClient.greeted("127.0.0.1", port)) {
      client.ehlo("sender" + sender + ".test");
      for (int i = 0; i < perSender; i++) {
        int sequence = sender * perSender + i;
        String content =
            "Subject: crash " + sequence + "\r\nX-Crash-Seq: " + sequence + "\r\n\r\n" + BODY;
        accepted.put(
            sequence,
            client.sendMessage("app@sender.test", List.of("r" + sequence + "@crash.test"), content));
      }
    } catch (IOException e) {
      // The relay was killed: a message without a 250 was never promised.
    }
  }
}
