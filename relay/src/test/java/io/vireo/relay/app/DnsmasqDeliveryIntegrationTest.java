package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigLoader;
import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.Dnsmasq;
import io.vireo.relay.testing.ScriptedSmtpServer;
import io.vireo.relay.testing.ScriptedSmtpServer.ReceivedMessage;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole relay routing by real DNS: a dnsmasq serves MX, address, null MX and missing domains;
 * every mail server is a {@link ScriptedSmtpServer} on its own loopback address, all on one port,
 * which is the relay's {@code delivery.port}. Mail goes in over SMTP and comes out where DNS says,
 * and undeliverable recipients come back to the sender's domain as RFC 3464 reports.
 */
class DnsmasqDeliveryIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String SENDER = "someone@sender.test";

  private static final String MX1_ALPHA = "127.0.0.11";
  private static final String MX2_ALPHA = "127.0.0.12";
  private static final String BETA = "127.0.0.13";
  private static final String PROVIDER = "127.0.0.14";
  private static final String MX_SENDER = "127.0.0.15";

  @TempDir static Path dnsDir;
  private static Dnsmasq dns;

  @TempDir Path spoolDir;
  private MailServers servers;
  private Relay relay;

  @BeforeAll
  static void startDns() throws IOException {
    dns =
        Dnsmasq.start(
            dnsDir,
            List.of(
                Dnsmasq.mx("alpha.test", "mx1.alpha.test", 10),
                Dnsmasq.mx("alpha.test", "mx2.alpha.test", 20),
                Dnsmasq.host("mx1.alpha.test", MX1_ALPHA),
                Dnsmasq.host("mx2.alpha.test", MX2_ALPHA),
                // No MX: the address record is the implicit MX (RFC 5321 section 5.1).
                Dnsmasq.host("beta.test", BETA),
                // Two customer domains of one provider: one destination (MX rollup).
                Dnsmasq.mx("shared1.test", "mx.provider.test", 10),
                Dnsmasq.mx("shared2.test", "mx.provider.test", 10),
                Dnsmasq.host("mx.provider.test", PROVIDER),
                Dnsmasq.nullMx("nullmx.test"),
                Dnsmasq.mx("sender.test", "mx.sender.test", 10),
                Dnsmasq.host("mx.sender.test", MX_SENDER)));
  }

  @AfterAll
  static void stopDns() {
    if (dns != null) {
      dns.close();
    }
  }

  @BeforeEach
  void start() throws Exception {
    servers = MailServers.start(List.of(MX1_ALPHA, MX2_ALPHA, BETA, PROVIDER, MX_SENDER));
    String delivery =
        """
        delivery:
          port: %d
          dns:
            servers: ["%s"]
            timeout: 5s
          retry:
            schedule: [300ms, 600ms]
            max-age: 1m
        """
            .formatted(servers.port(), dns.hostPort());
    relay = Relay.start(ConfigLoader.parse(TestRelays.yaml(spoolDir, delivery, ""), "test.yaml"));
  }

  @AfterEach
  void stop() throws IOException {
    if (relay != null) {
      relay.close();
    }
    if (servers != null) {
      servers.close();
    }
  }

  @Test
  void mailGoesToTheMostPreferredMxHost() throws Exception {
    String id = send(List.of("user@alpha.test"), "alpha");

    ReceivedMessage received = server(MX1_ALPHA).awaitMessages(1, WAIT).getFirst();
    assertThat(received.mailFrom()).isEqualTo(SENDER);
    assertThat(received.recipients()).containsExactly("user@alpha.test");
    assertThat(received.dataAsString()).contains("Subject: alpha\r\n");
    awaitStates(id, RecipientState.DELIVERED);
    assertThat(server(MX2_ALPHA).connectionCount()).isZero();
    assertThat(recipient(id, "user@alpha.test").lastReply()).contains("queued as");
  }

  @Test
  void mailGoesToTheNextMxHostWhenTheFirstIsDown() throws Exception {
    server(MX1_ALPHA).close(); // nothing listens on mx1 any more: connection refused

    String id = send(List.of("user@alpha.test"), "fallback");

    ReceivedMessage received = server(MX2_ALPHA).awaitMessages(1, WAIT).getFirst();
    assertThat(received.recipients()).containsExactly("user@alpha.test");
    assertThat(received.dataAsString()).contains("Subject: fallback\r\n");
    awaitStates(id, RecipientState.DELIVERED);
    assertThat(server(MX1_ALPHA).transactions()).isEmpty();
  }

  @Test
  void domainWithOnlyAnAddressRecordGetsMailAtThatAddress() throws Exception {
    String id = send(List.of("user@beta.test"), "implicit mx");

    ReceivedMessage received = server(BETA).awaitMessages(1, WAIT).getFirst();
    assertThat(received.recipients()).containsExactly("user@beta.test");
    awaitStates(id, RecipientState.DELIVERED);
  }

  @Test
  void domainsOfOneProviderShareOneTransaction() throws Exception {
    String id = send(List.of("a@shared1.test", "b@shared2.test"), "rollup");

    server(PROVIDER).awaitMessages(1, WAIT);
    awaitStates(id, RecipientState.DELIVERED, RecipientState.DELIVERED);
    List<ReceivedMessage> transactions = server(PROVIDER).transactions();
    assertThat(transactions).hasSize(1);
    assertThat(transactions.getFirst().recipients())
        .containsExactly("a@shared1.test", "b@shared2.test");
    assertThat(server(PROVIDER).connectionCount()).isEqualTo(1);
  }

  @Test
  void nullMxBouncesWith5110() throws Exception {
    String id = send(List.of("user@nullmx.test"), "to a domain that takes no mail");

    DeliveryReport report = awaitBounce();
    DeliveryReport.RecipientFields fields = report.onlyRecipient();
    assertThat(fields.finalRecipient()).isEqualTo("user@nullmx.test");
    assertThat(fields.action()).isEqualTo("failed");
    assertThat(fields.status()).isEqualTo("5.1.10");
    awaitStates(id, RecipientState.BOUNCED);
  }

  @Test
  void nonexistentDomainBouncesWith512() throws Exception {
    String id = send(List.of("user@nxdomain.test"), "to a domain that does not exist");

    DeliveryReport report = awaitBounce();
    DeliveryReport.RecipientFields fields = report.onlyRecipient();
    assertThat(fields.finalRecipient()).isEqualTo("user@nxdomain.test");
    assertThat(fields.action()).isEqualTo("failed");
    assertThat(fields.status()).isEqualTo("5.1.2");
    awaitStates(id, RecipientState.BOUNCED);
  }

  @Test
  void oneMessageToEveryKindOfDomainIsSplitByDestination() throws Exception {
    List<String> recipients =
        List.of(
            "a@alpha.test",
            "b@beta.test",
            "c@shared1.test",
            "d@nullmx.test",
            "e@shared2.test",
            "f@nxdomain.test");

    String id = send(recipients, "everywhere");

    assertThat(server(MX1_ALPHA).awaitMessages(1, WAIT).getFirst().recipients())
        .containsExactly("a@alpha.test");
    assertThat(server(BETA).awaitMessages(1, WAIT).getFirst().recipients())
        .containsExactly("b@beta.test");
    assertThat(server(PROVIDER).awaitMessages(1, WAIT).getFirst().recipients())
        .containsExactly("c@shared1.test", "e@shared2.test");
    // Both failures come from the same routing step, so one report covers them.
    DeliveryReport report = awaitBounce();
    assertThat(report.recipients())
        .extracting(DeliveryReport.RecipientFields::finalRecipient)
        .containsExactlyInAnyOrder("d@nullmx.test", "f@nxdomain.test");
    assertThat(report.recipients())
        .extracting(DeliveryReport.RecipientFields::status)
        .containsExactlyInAnyOrder("5.1.10", "5.1.2");
    awaitStates(
        id,
        RecipientState.DELIVERED,
        RecipientState.DELIVERED,
        RecipientState.DELIVERED,
        RecipientState.BOUNCED,
        RecipientState.DELIVERED,
        RecipientState.BOUNCED);
    assertThat(server(MX_SENDER).awaitMessages(1, WAIT)).hasSize(1);
  }

  private ScriptedSmtpServer server(String address) {
    return servers.at(address);
  }

  private String send(List<String> recipients, String subject) throws IOException {
    try (SmtpTestClient client = SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
      client.ehlo("app.sender.test");
      return client.sendMessage(
          SENDER,
          recipients,
          "From: <" + SENDER + ">\r\nSubject: " + subject + "\r\n\r\nHello.\r\n");
    }
  }

  /** The one report that reaches the sender's MX: from the null sender, to the sender. */
  private DeliveryReport awaitBounce() throws Exception {
    ReceivedMessage bounce = server(MX_SENDER).awaitMessages(1, WAIT).getFirst();
    assertThat(bounce.mailFrom()).isEmpty();
    assertThat(bounce.recipients()).containsExactly(SENDER);
    DeliveryReport report = DeliveryReport.parse(bounce.data());
    assertThat(report.contentType()).contains("report-type=delivery-status");
    assertThat(report.messageField("Reporting-MTA")).isEqualTo("dns; relay.test");
    return report;
  }

  /** Waits until the spool shows the message's recipients, in order, in these states. */
  private void awaitStates(String id, RecipientState... states) {
    MessageId messageId = new MessageId(id);
    Await.until(
        "the spool records " + id + " as " + List.of(states),
        WAIT,
        () ->
            relay
                .spool()
                .find(messageId)
                .map(QueuedMessage::recipients)
                .map(r -> r.stream().map(RecipientStatus::state).toList())
                .orElseThrow()
                .equals(List.of(states)));
  }

  private RecipientStatus recipient(String id, String address) {
    return relay.spool().find(new MessageId(id)).orElseThrow().recipients().stream()
        .filter(r -> r.recipient().address().equals(address))
        .findFirst()
        .orElseThrow();
  }

  /** One {@link ScriptedSmtpServer} per loopback address, all on one port. */
  private record MailServers(int port, Map<String, ScriptedSmtpServer> byAddress)
      implements AutoCloseable {
    private static final int ATTEMPTS = 10;

    /** Takes a free port on the first address, then the same port on the others; retries. */
    static MailServers start(List<String> addresses) throws IOException {
      for (int attempt = 1; ; attempt++) {
        Map<String, ScriptedSmtpServer> started = new LinkedHashMap<>();
        try {
          ScriptedSmtpServer first = new ScriptedSmtpServer(addresses.getFirst());
          started.put(addresses.getFirst(), first.hostname("mx." + addresses.getFirst()));
          for (String address : addresses.subList(1, addresses.size())) {
            started.put(
                address,
                new ScriptedSmtpServer(address, first.port()).hostname("mx." + address));
          }
          return new MailServers(first.port(), started);
        } catch (BindException taken) {
          closeAll(new ArrayList<>(started.values()));
          if (attempt == ATTEMPTS) {
            throw taken;
          }
        }
      }
    }

    ScriptedSmtpServer at(String address) {
      return byAddress.get(address);
    }

    @Override
    public void close() throws IOException {
      closeAll(new ArrayList<>(byAddress.values()));
    }

    private static void closeAll(List<ScriptedSmtpServer> servers) throws IOException {
      for (ScriptedSmtpServer server : servers) {
        server.close();
      }
    }
  }
}
