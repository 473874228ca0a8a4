package io.vireo.relay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.DestinationLimits;
import io.vireo.config.Rate;
import io.vireo.queue.Envelope;
import io.vireo.queue.RecipientState;
import io.vireo.queue.SpoolEvent;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.ScriptedSmtpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker with the destination's next job at hand starts it behind the message it is sending (RFC
 * 2920 section 3.1): one round trip per message on a busy connection, and nothing lost or sent
 * twice when the server refuses, closes or drops the connection in between.
 */
class PipelinedDeliveryTest {
  @TempDir Path dir;
  private DeliveryHarness harness;
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void setUp() throws Exception {
    harness = new DeliveryHarness(dir);
    // One connection, so that the queue builds up behind it.
    harness.settings.defaults =
        new DestinationLimits(1, Rate.unlimited(), 1000, Duration.ofSeconds(5));
  }

  @AfterEach
  void tearDown() throws Exception {
    release.countDown();
    harness.close();
  }

  /**
   * The server holds its answer to the first DATA until every other message is queued, so the
   * worker finds a next job each time.
   */
  private ScriptedSmtpServer heldServer() throws Exception {
    return harness
        .mx("dest.test", "127.0.0.2")
        .onDataCommand(
            n -> {
              if (n == 1) {
                awaitRelease();
              }
              return null;
            });
  }

  private void awaitRelease() {
    try {
      release.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private List<Envelope> sendQueued(int count) {
    List<Envelope> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sent.add(harness.send("a@sender.test", "r" + i + "@dest.test"));
    }
    // All but the one in flight and at most one taken ahead wait in the queue.
    Await.until(
        "the messages are queued",
        DeliveryHarness.WAIT,
        () -> harness.engine().queuedJobs() >= count - 2);
    release.countDown();
    return sent;
  }

  private void awaitAllDelivered(List<Envelope> sent) {
    for (int i = 0; i < sent.size(); i++) {
      harness.awaitState(sent.get(i), "r" + i + "@dest.test", RecipientState.DELIVERED);
    }
  }

  private static List<String> acceptedRecipients(ScriptedSmtpServer mx) {
    return mx.messages().stream().flatMap(m -> m.recipients().stream()).toList();
  }

  private static List<String> recipients(int count) {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      all.add("r" + i + "@dest.test");
    }
    return all;
  }

  @Test
  void aBusyConnectionCarriesEachMessageInOneRoundTrip() throws Exception {
    ScriptedSmtpServer mx = heldServer();
    harness.start();

    List<Envelope> sent = sendQueued(30);

    awaitAllDelivered(sent);
    assertThat(acceptedRecipients(mx)).containsExactlyInAnyOrderElementsOf(recipients(30));
    assertThat(mx.connectionCount()).isEqualTo(1);
    // Every MAIL after the first shares a read with the previous dot, but perhaps the second's,
    // when its lookup finished after the first message went out.
    assertThat(mx.mailsWithPreviousDot(1)).isGreaterThanOrEqualTo(28);
    DeliveryStats stats = harness.engine().stats();
    assertThat(stats.connectionsOpened()).isEqualTo(1);
    assertThat(stats.connectionsReused()).isEqualTo(29);
  }

  @Test
  void refusalsOfAStartedMessageAreFinalForItAndTheOthersGoOn() throws Exception {
    ScriptedSmtpServer mx =
        heldServer()
            .onRcpt(address -> address.equals("r1@dest.test") ? "550 5.1.1 No such user" : null);
    harness.start();

    List<Envelope> sent = sendQueued(4);

    harness.awaitState(sent.get(1), "r1@dest.test", RecipientState.BOUNCED);
    for (int i : new int[] {0, 2, 3}) {
      harness.awaitState(sent.get(i), "r" + i + "@dest.test", RecipientState.DELIVERED);
    }
    assertThat(acceptedRecipients(mx))
        .containsExactlyInAnyOrder("r0@dest.test", "r2@dest.test", "r3@dest.test");
    assertThat(mx.connectionCount()).isEqualTo(1);
  }

  @Test
  void a421AfterTheContentSendsThatMessageAndTheStartedOneAgain() throws Exception {
    // The third content: by then the queue is full, so the fourth message was started behind it.
    ScriptedSmtpServer mx = heldServer().onData(n -> n == 3 ? "421 4.3.2 Shutting down" : null);
    harness.start();

    List<Envelope> sent = sendQueued(5);

    awaitAllDelivered(sent);
    assertThat(acceptedRecipients(mx)).containsExactlyInAnyOrderElementsOf(recipients(5));
    // The third and the fourth MAIL came with the dot before them.
    assertThat(mx.mailsWithPreviousDot(1)).isGreaterThanOrEqualTo(2);
    // The message that got the 421 had gone over a reused connection, so (as before pipelining)
    // it was tried again at once on a new one; the one started behind it went there too.
    assertThat(mx.transactions())
        .filteredOn(m -> m.reply().startsWith("421"))
        .singleElement()
        .satisfies(m -> assertThat(m.connection()).isEqualTo(1));
    assertThat(mx.connectionCount()).isEqualTo(2);
    assertThat(mx.messages()).filteredOn(m -> m.connection() == 2).hasSize(3);
  }

  @Test
  void connectionLostAfterTheDotLosesNothing() throws Exception {
    ScriptedSmtpServer mx = heldServer();
    // Hang up after the third content, behind which the fourth message was started.
    mx.onData(
        n -> {
          if (n == 2) {
            mx.dropConnectionAfterData(1);
          }
          return null;
        });
    harness.start();

    List<Envelope> sent = sendQueued(5);

    awaitAllDelivered(sent);
    // The message whose content went out was uncertain and deferred by the usual rules; the one
    // started behind it had sent no content and went out again at once, like the rest.
    assertThat(firstReplies(sent)).filteredOn(reply -> reply.startsWith("451 4.4.2")).hasSize(1);
    assertThat(firstReplies(sent)).filteredOn(reply -> reply.startsWith("250")).hasSize(4);
    assertThat(acceptedRecipients(mx)).containsExactlyInAnyOrderElementsOf(recipients(5));
    assertThat(mx.mailsWithPreviousDot(1)).as("the third MAIL came with the dot").isPositive();
  }

  /** The reply recorded by each message's first delivery event, in the order sent. */
  private List<String> firstReplies(List<Envelope> sent) {
    List<String> replies = new ArrayList<>();
    for (int i = 0; i < sent.size(); i++) {
      SpoolEvent first =
          harness.spool().events(sent.get(i).id(), "r" + i + "@dest.test").getFirst();
      replies.add(
          switch (first) {
            case SpoolEvent.Deferred deferred -> deferred.reply();
            case SpoolEvent.Delivered delivered -> delivered.reply();
            default -> first.toString();
          });
    }
    return replies;
  }

  @Test
  void aServerWithoutPipeliningIsServedLockStep() throws Exception {
    ScriptedSmtpServer mx = heldServer().withoutPipelining();
    harness.start();

    List<Envelope> sent = sendQueued(10);

    awaitAllDelivered(sent);
    assertThat(acceptedRecipients(mx)).containsExactlyInAnyOrderElementsOf(recipients(10));
    assertThat(mx.mailsWithPreviousDot(1)).isZero();
    assertThat(mx.commandBatches(1)).allSatisfy(batch -> assertThat(batch).hasSize(1));
  }
}
