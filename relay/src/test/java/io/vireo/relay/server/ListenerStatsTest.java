package io.vireo.relay.server;

import static io.vireo.relay.server.ServerFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.relay.testing.SmtpTestClient;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link SmtpServer#stats()}: the listener's counts the admin server publishes. */
class ListenerStatsTest {
  private ServerFixture fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void countsAdmittedAndRefusedConnectionsByLimitAndAcceptedMail() throws IOException {
    fixture = new ServerFixture().maxConnections(2, 1).start();
    assertThat(fixture.server().stats().accepting()).isTrue();
    try (SmtpTestClient first = fixture.connectAndEhlo()) {
      try (SmtpTestClient sameAddress = SmtpTestClient.connect(fixture.address())) {
        sameAddress.expect(421, "4.7.0");
      }
      first.send("MAIL FROM:<a@app.test>").expect(250);
      first.send("RCPT TO:<x@local.test>").expect(250);
      first.send("RCPT TO:<y@local.test>").expect(250);
      first.send("DATA").expect(354);
      first.send("Subject: s\r\n\r\nbody\r\n.").expect(250);
      // The 250 goes out before the hand-off that counts the message (SmtpSession flushes first).
      await("the message to be counted", () -> fixture.server().stats().messagesAccepted() == 1);

      ListenerStats stats = fixture.server().stats();
      assertThat(stats.openConnections()).isEqualTo(1);
      assertThat(stats.acceptedConnections()).isEqualTo(1);
      assertThat(stats.refusedMaxConnectionsPerIp()).isEqualTo(1);
      assertThat(stats.refusedMaxConnections()).isZero();
      assertThat(stats.messagesAccepted()).isEqualTo(1);
      assertThat(stats.recipientsAccepted()).isEqualTo(2);
      first.send("QUIT").expect(221);
    }
    await("the session to end", () -> fixture.server().stats().openConnections() == 0);
    fixture.server().close();
    assertThat(fixture.server().stats().accepting()).isFalse();
  }
}
