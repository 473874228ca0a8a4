package io.vireo.relay.server;

import static io.vireo.relay.server.ServerFixture.await;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.relay.testing.SmtpTestClient;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connection-level behaviour: limits, timeouts, early talkers, stalled clients and shutdown. */
class ConnectionHandlingTest {
  private ServerFixture fixture;

  @AfterEach
  void stopServer() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void clientTalkingBeforeTheGreetingIsTurnedAway() throws IOException {
    fixture = new ServerFixture().greetingDelay(Duration.ofSeconds(5)).start();
    try (SmtpTestClient c = SmtpTestClient.connect(fixture.address())) {
      c.send("EHLO impatient.test");
      assertThat(c.expect(554, "5.5.0").text()).contains("before the greeting");
      c.expectClosed();
    }
  }

  @Test
  void patientClientIsGreetedAfterTheDelay() throws IOException {
    fixture = new ServerFixture().greetingDelay(Duration.ofMillis(200)).start();
    long start = System.nanoTime();
    try (SmtpTestClient c = SmtpTestClient.connect(fixture.address())) {
      c.expect(220);
      assertThat(System.nanoTime() - start)
          .isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
      c.send("EHLO patient.test").expect(250);
    }
  }

  @Test
  void connectionsBeyondTheLimitGet421AndNoSession() throws IOException {
    fixture = new ServerFixture().maxConnections(2, 2).start();
    try (SmtpTestClient first = fixture.connect();
        SmtpTestClient second = fixture.connect()) {
      try (SmtpTestClient third = SmtpTestClient.connect(fixture.address())) {
        assertThat(third.expect(421, "4.3.2").text())
            .isEqualTo("4.3.2 Too many connections, try again later");
        third.expectClosed();
      }
      assertThat(fixture.server().activeSessions()).isEqualTo(2);
      first.send("QUIT").expect(221);
      await("the first session to end", () -> fixture.server().activeSessions() == 1);
      try (SmtpTestClient fourth = fixture.connect()) {
        fourth.send("NOOP").expect(250);
      }
      second.send("NOOP").expect(250);
    }
  }

  @Test
  void perAddressLimitLeavesOtherClientsIn() throws IOException {
    fixture = new ServerFixture().maxConnections(10, 1).start();
    try (SmtpTestClient first = fixture.connect()) {
      try (SmtpTestClient second = SmtpTestClient.connect(fixture.address())) {
        assertThat(second.expect(421, "4.7.0").text())
            .contains("Too many connections from your address");
        second.expectClosed();
      }
      try (SmtpTestClient other =
          SmtpTestClient.connect(fixture.address(), InetAddress.getByName("127.0.0.2"))) {
        other.expect(220);
        other.send("NOOP").expect(250);
      }
      first.send("NOOP").expect(250);
    }
  }

  @Test
  void permitsAreReleasedWhateverWayASessionEnds() throws IOException {
    fixture = new ServerFixture().maxConnections(2, 2).maxErrors(1).start();
    for (int round = 0; round < 5; round++) {
      try (SmtpTestClient quitting = fixture.connect();
          SmtpTestClient erring = fixture.connect()) {
        quitting.send("QUIT").expect(221);
        erring.send("FOO").expect(500);
        erring.send("BAR").expect(421);
      }
      fixture.connect().close(); // hangs up without a word
      await("all sessions to end", () -> fixture.server().activeSessions() == 0);
    }
    try (SmtpTestClient a = fixture.connect();
        SmtpTestClient b = fixture.connect()) {
      a.send("NOOP").expect(250);
      b.send("NOOP").expect(250);
    }
  }

  @Test
  void idleClientTimesOut() throws IOException {
    fixture = new ServerFixture().timeouts(Duration.ofMillis(300), Duration.ofSeconds(10)).start();
    try (SmtpTestClient c = fixture.connect()) {
      c.send("EHLO slow.test").expect(250);
      assertThat(c.expect(421, "4.4.2").text())
          .isEqualTo("4.4.2 mx.test Timeout, closing connection");
      c.expectClosed();
    }
    await("the session to end", () -> fixture.server().activeSessions() == 0);
  }

  @Test
  void stalledMessageContentTimesOut() throws IOException {
    fixture = new ServerFixture().timeouts(Duration.ofSeconds(10), Duration.ofMillis(300)).start();
    try (SmtpTestClient c = fixture.connectAndEhlo()) {
      c.send("MAIL FROM:<a@client.test>").expect(250);
      c.send("RCPT TO:<b@local.test>").expect(250);
      c.send("DATA").expect(354);
      c.sendRaw("Subject: never finished\r\n");
      c.expect(421, "4.4.2");
      c.expectClosed();
    }
    assertThat(fixture.spool.messages()).isEmpty();
  }

  @Test
  void shutdownEndsIdleSessionsAndLetsMessagesInFlightFinish() throws Exception {
    fixture = new ServerFixture().start();
    try (SmtpTestClient idle = fixture.connectAndEhlo();
        SmtpTestClient sending = fixture.connectAndEhlo()) {
      sending.send("MAIL FROM:<a@client.test>").expect(250);
      sending.send("RCPT TO:<b@local.test>").expect(250);
      sending.send("DATA").expect(354);
      sending.sendRaw("Subject: in flight\r\n\r\n");

      CompletableFuture<Void> closing =
          CompletableFuture.runAsync(() -> fixture.server().close(Duration.ofSeconds(10)));
      assertThat(idle.expect(421, "4.3.2").text()).contains("shutting down");
      idle.expectClosed();
      assertThat(closing).isNotDone();

      sending.sendRaw("last line\r\n.\r\n");
      sending.expect(250, "2.0.0");
      sending.expect(421, "4.3.2");
      sending.expectClosed();
      closing.get(10, TimeUnit.SECONDS);
    }
    assertThat(fixture.spool.messages()).hasSize(1);
    assertThat(fixture.server().activeSessions()).isZero();
  }

  @Test
  void shutdownForcesSessionsThatOutstayTheGrace() throws Exception {
    fixture = new ServerFixture().start();
    try (SmtpTestClient sending = fixture.connectAndEhlo()) {
      sending.send("MAIL FROM:<a@client.test>").expect(250);
      sending.send("RCPT TO:<b@local.test>").expect(250);
      sending.send("DATA").expect(354);
      fixture.server().close(Duration.ofMillis(200));
      assertThat(fixture.server().activeSessions()).isZero();
      sending.expectClosed();
    }
  }

  @Test
  void clientThatStopsReadingIsDisconnected() throws Exception {
    fixture = new ServerFixture().timeouts(Duration.ofMillis(300), Duration.ofMillis(300)).start();
    try (SmtpTestClient client = fixture.connect()) {
      // Pipelines NOOPs and never reads: the replies fill both socket buffers and the server's
      // write
      // blocks until the watchdog ends the session; the client then sees its writes fail.
      CompletableFuture<Boolean> closedByServer =
          CompletableFuture.supplyAsync(
              () -> {
                byte[] noops = "NOOP\r\n".repeat(10_000).getBytes(US_ASCII);
                try {
                  for (int i = 0; i < 2_000; i++) {
                    client.sendRaw(noops);
                  }
                  return false;
                } catch (IOException expected) {
                  return true;
                }
              });
      assertThat(closedByServer.get(20, TimeUnit.SECONDS)).isTrue();
      await("the stalled session to end", () -> fixture.server().activeSessions() == 0);
    }
  }
}
