package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigLoader;
import io.vireo.relay.events.Event;
import io.vireo.relay.events.EventJson;
import io.vireo.relay.events.EventType;
import io.vireo.relay.suppression.Suppression;
import io.vireo.relay.suppression.SuppressionList;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.ScriptedSmtpServer;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suppression list end to end: a 550 5.1.1 from the next hop (a scripted SMTP server)
 * suppresses the address, as do two 452s for two messages; a later RCPT to it gets {@code 550
 * 5.7.1} and a {@code suppressed} event; {@code vireo suppression} lists, adds and removes through
 * the running relay's admin API and, with the relay stopped, in the file itself.
 */
class SuppressionIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void bouncesSuppressRcptRefusesAndTheCliEditsLiveAndOffline() throws Exception {
    try (ScriptedSmtpServer nextHop = new ScriptedSmtpServer("127.0.0.6")) {
      nextHop.onRcpt(
          rcpt ->
              rcpt.contains("bad@")
                  ? "550 5.1.1 no such user"
                  : rcpt.contains("soft@") ? "452 4.2.2 mailbox full" : null);
      Path file = config(nextHop.port());
      String config = file.toString();
      try (Relay relay = Relay.start(ConfigLoader.load(file), file)) {
        SuppressionList list = relay.suppressions().orElseThrow();
        send(relay, "bad@example.net");
        Await.until("the hard bounce suppresses", WAIT, () -> list.isSuppressed("bad@example.net"));
        assertThat(list.find("BAD@Example.NET").orElseThrow().reason())
            .startsWith("hard bounce: 550 5.1.1 no such user");

        send(relay, "soft@example.net");
        assertThat(list.isSuppressed("soft@example.net")).as("one soft bounce is not enough").isFalse();
        send(relay, "soft@example.net");
        Await.until("two soft bounces suppress", WAIT, () -> list.isSuppressed("soft@example.net"));
        assertThat(list.find("soft@example.net").orElseThrow().reason()).contains("2 soft bounces");

        try (SmtpTestClient client = SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
          client.ehlo("app.test");
          client.command("MAIL FROM:<app@example.com>", 250);
          assertThat(client.command("RCPT TO:<Bad@Example.net>", 550).raw()).startsWith("550 5.7.1");
          client.command("RCPT TO:<good@example.net>", 250);
          client.command("RSET", 250);
        }
        Await.until(
            "a suppressed event for the refused RCPT",
            WAIT,
            () ->
                events(relay).stream()
                    .anyMatch(
                        e ->
                            e.change().type() == EventType.SUPPRESSED
                                && e.change().id() == null
                                && e.change().recipient().equals("Bad@Example.net")
                                && e.change().dsn().equals("5.7.1")));

        // The CLI through the admin API.
        ProcessRunner.Split listed = RelayProcess.runSplit(WAIT, "suppression", "list", "--config", config);
        assertThat(listed.exitCode()).as(listed.stderr()).isZero();
        assertThat(listed.stdout())
            .contains("bad@example.net")
            .contains("soft@example.net")
            .contains("-- 2 suppressions");
        ProcessRunner.Split added =
            RelayProcess.runSplit(
                WAIT, "suppression", "add", "Manual+tag@example.org", "--reason", "asked", "--config", config);
        assertThat(added.stdout()).startsWith("suppressed manual+tag@example.org until 20");
        assertThat(list.find("manual+tag@example.org").orElseThrow().reason()).isEqualTo("asked");
        ProcessRunner.Split removed =
            RelayProcess.runSplit(WAIT, "suppression", "remove", "soft@example.net", "--config", config);
        assertThat(removed.stdout()).isEqualTo("removed soft@example.net\n");
        assertThat(list.isSuppressed("soft@example.net")).isFalse();
        ProcessRunner.Split again =
            RelayProcess.runSplit(WAIT, "suppression", "remove", "soft@example.net", "--config", config);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).contains("is not on the list");
        ProcessRunner.Split json =
            RelayProcess.runSplit(WAIT, "suppression", "list", "--json", "--config", config);
        assertThat(json.stdout()).startsWith("{\"suppressions\":[{\"address\":\"bad@example.net\"");
      }

      // Stopped: the same commands edit the file.
      ProcessRunner.Split offlineList =
          RelayProcess.runSplit(WAIT, "suppression", "list", "--config", config);
      assertThat(offlineList.exitCode()).as(offlineList.stderr()).isZero();
      assertThat(offlineList.stdout()).contains("manual+tag@example.org").contains("-- 2 suppressions");
      assertThat(
              RelayProcess.runSplit(
                      WAIT, "suppression", "remove", "manual+tag@example.org", "--config", config)
                  .exitCode())
          .isZero();
      assertThat(
              RelayProcess.runSplit(WAIT, "suppression", "add", "offline@example.org", "--config", config)
                  .stdout())
          .startsWith("suppressed offline@example.org");
      try (Relay relay = Relay.start(ConfigLoader.load(file), file)) {
        SuppressionList list = relay.suppressions().orElseThrow();
        assertThat(list.list().stream().map(Suppression::address))
            .containsExactly("bad@example.net", "offline@example.org");
      }
    }
  }

  @Test
  void holdAcceptsAndKeepsTheRecipientDeferredUntilTheEntryIsRemoved() throws Exception {
    try (ScriptedSmtpServer nextHop = new ScriptedSmtpServer("127.0.0.6")) {
      Path file = config(nextHop.port(), "  action: hold\n");
      try (Relay relay = Relay.start(ConfigLoader.load(file), file)) {
        SuppressionList list = relay.suppressions().orElseThrow();
        list.add("held@example.net", "test");
        String id = sendAndAwaitHeld(relay, "held@example.net");
        assertThat(
                relay.spool().find(new io.vireo.queue.MessageId(id)).orElseThrow().recipients().getFirst().state())
            .isEqualTo(io.vireo.queue.RecipientState.DEFERRED);
        assertThat(nextHop.messages()).isEmpty();

        list.remove("held@example.net");
        AdminClient admin = new AdminClient(relay.adminAddress());
        assertThat(admin.send("POST", "/v1/queue/flush?id=" + id).status()).isEqualTo(200);
        nextHop.awaitMessages(1, WAIT);
        Await.until(
            "a delivered event",
            WAIT,
            () ->
                events(relay).stream()
                    .anyMatch(e -> e.change().type() == EventType.DELIVERED && id.equals(e.change().id().value())));
      }
    }
  }

  @Test
  void aReloadMovesTheActionTheExpiryOfNewEntriesAndTheSoftBounceRule() throws Exception {
    try (ScriptedSmtpServer nextHop = new ScriptedSmtpServer("127.0.0.6")) {
      nextHop.onRcpt(rcpt -> rcpt.contains("soft@") ? "452 4.2.2 mailbox full" : null);
      Path file = config(nextHop.port(), "  soft-bounces: 3\n  expire-after: 30d\n");
      try (Relay relay = Relay.start(ConfigLoader.load(file), file)) {
        SuppressionList list = relay.suppressions().orElseThrow();
        list.add("listed@example.net", "test");
        try (SmtpTestClient client = SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
          client.ehlo("app.test");
          client.command("MAIL FROM:<app@example.com>", 250);
          assertThat(client.command("RCPT TO:<listed@example.net>", 550).raw()).startsWith("550 5.7.1");
        }

        config(nextHop.port(), "  action: hold\n  soft-bounces: 1\n  expire-after: 2h\n");
        assertThat(relay.reload())
            .isInstanceOfSatisfying(
                io.vireo.relay.admin.ReloadResult.Applied.class,
                applied ->
                    assertThat(applied.changed())
                        .contains(
                            "suppression.action",
                            "suppression.expire-after",
                            "suppression.soft-bounces"));

        sendAndAwaitHeld(relay, "listed@example.net"); // accepted now, where it was refused
        assertThat(nextHop.messages()).isEmpty();

        send(relay, "soft@example.net");
        Await.until(
            "one soft bounce suppresses under the new rule",
            WAIT,
            () -> list.isSuppressed("soft@example.net"));
        Suppression entry = list.find("soft@example.net").orElseThrow();
        assertThat(Duration.between(entry.added(), entry.expires())).isEqualTo(Duration.ofHours(2));
      }
    }
  }

  private Path config(int nextHopPort) throws IOException {
    return config(nextHopPort, "  soft-bounces: 2\n  soft-bounce-window: 1h\n");
  }

  private Path config(int nextHopPort, String suppressionKeys) throws IOException {
    String delivery =
        """
        delivery:
          tls: none
          routes:
            - { domains: ["*"], via: "127.0.0.6:%d", tls: none }
        """
            .formatted(nextHopPort);
    return TestRelays.writeConfig(
        dir, delivery, "suppression:\n  enabled: true\n" + suppressionKeys);
  }

  /**
   * Sends one message to a suppressed {@code recipient} under {@code action: hold}, and waits for
   * delivery's {@code suppressed} event (450 4.7.1 held) for it; answers its queue id.
   */
  private String sendAndAwaitHeld(Relay relay, String recipient) throws IOException {
    String id;
    try (SmtpTestClient client = SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
      client.ehlo("app.test");
      id = client.sendMessage("", List.of(recipient), "Subject: h\r\n\r\nbody\r\n");
    }
    Await.until(
        "a suppressed event for the queued message",
        WAIT,
        () ->
            events(relay).stream()
                .anyMatch(
                    e ->
                        e.change().type() == EventType.SUPPRESSED
                            && e.change().id() != null
                            && e.change().id().value().equals(id)
                            && e.change().reply().startsWith("450 4.7.1 held")));
    return id;
  }

  /** One message from the null sender (no report to deliver) to {@code recipient}. */
  private static void send(Relay relay, String recipient) throws IOException {
    try (SmtpTestClient client = SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
      client.ehlo("app.test");
      client.sendMessage("", List.of(recipient), "Subject: s\r\n\r\nbody\r\n");
    }
  }

  private List<Event> events(Relay relay) {
    List<Event> events = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir.resolve("spool").resolve("event-log"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
        Files.readAllLines(f).forEach(line -> events.add(EventJson.parse(line)));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return events;
  }
}
