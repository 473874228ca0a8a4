package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigLoader;
import io.vireo.config.VireoConfig;
import io.vireo.mailbox.testing.ExternalTool;
import io.vireo.relay.events.Event;
import io.vireo.relay.events.EventJson;
import io.vireo.relay.events.EventType;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.ScriptedSmtpServer;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import io.vireo.relay.testing.WebhookReceiver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole relay with a webhook: a real receiver that refuses (503) for a while, then is not
 * there at all across a relay restart, still gets every event of the log, each once after
 * dropping repeats by event id, in order per message, each request signed as documented (checked
 * by Python's hmac).
 */
class WebhookIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String SECRET = "whsec-test-4f1c";

  @TempDir Path dir;

  @Test
  void receiverDownThenBackAndARelayRestartLoseNoEventAndSignaturesHold() throws Exception {
    Path spoolDir = dir.resolve("spool");
    Files.writeString(dir.resolve("hook.secret"), SECRET + "\n");
    try (WebhookReceiver receiver = new WebhookReceiver();
        ScriptedSmtpServer nextHop = new ScriptedSmtpServer("127.0.0.6")) {
      nextHop.onRcpt(rcpt -> rcpt.contains("bad@") ? "550 5.1.1 no such user" : null);
      VireoConfig config = config(spoolDir, nextHop.port(), receiver.url());

      try (Relay relay = Relay.start(config)) {
        send(relay, 3);
        Await.until("the first events arrive", WAIT, () -> received(receiver).size() >= 12);

        receiver.refuse(true);
        send(relay, 3);
        Await.until("the receiver refused a POST", WAIT, () -> receiver.refusedCount() >= 2);
        receiver.refuse(false);
        Await.until(
            "every event so far arrives",
            WAIT,
            () -> received(receiver).keySet().equals(logged(spoolDir).keySet()));

        receiver.stop();
        send(relay, 2);
        Await.until(
            "the last messages are delivered",
            WAIT,
            () -> relay.delivery().stats().delivered() + relay.delivery().stats().bounced() == 16);
      }
      // Down across a restart: the new relay finds the unsent events in the log.
      receiver.start();
      try (Relay relay = Relay.start(config)) {
        Await.until(
            "every event arrives after the restart",
            WAIT,
            () -> received(receiver).keySet().equals(logged(spoolDir).keySet()));
      }
      Map<String, Event> all = logged(spoolDir);
      assertThat(all).hasSize(32);
      assertThat(all.values().stream().filter(e -> e.change().type() == EventType.BOUNCED))
          .hasSize(8)
          .allSatisfy(e -> assertThat(e.change().dsn()).isEqualTo("5.1.1"));
      assertOrderedPerMessage(receiver);
      assertSignedAsDocumented(receiver.accepted());
    }
  }

  /** The first arrival of each event follows the log's order within its message. */
  private static void assertOrderedPerMessage(WebhookReceiver receiver) {
    Map<String, Long> lastSequence = new HashMap<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (WebhookReceiver.Request request : receiver.accepted()) {
      for (Event event : parseBody(request.body())) {
        if (!seen.add(event.eventId())) {
          continue;
        }
        long sequence = EventJson.sequence(event.eventId());
        Long before = lastSequence.put(event.change().id().value(), sequence);
        assertThat(before == null || before < sequence)
            .as("events of %s arrive in log order", event.change().id())
            .isTrue();
      }
    }
  }

  /** Python's hmac recomputes every accepted request's v1 from t and the raw body. */
  private void assertSignedAsDocumented(List<WebhookReceiver.Request> requests) throws Exception {
    Path python = ExternalTool.require("python3", "python3");
    StringBuilder lines = new StringBuilder();
    for (WebhookReceiver.Request request : requests) {
      lines
          .append(request.signature())
          .append(' ')
          .append(Base64.getEncoder().encodeToString(request.body()))
          .append('\n');
    }
    Path input = dir.resolve("signatures.txt");
    Files.writeString(input, lines);
    Path script = dir.resolve("verify.py");
    Files.writeString(
        script,
        """
        import base64, hmac, hashlib, sys, time
        secret = sys.argv[2].encode()
        ok = 0
        for line in open(sys.argv[1]):
            header, body = line.split(' ')
            fields = dict(part.split('=', 1) for part in header.split(','))
            body = base64.b64decode(body)
            expected = hmac.new(secret, fields['t'].encode() + b'.' + body, hashlib.sha256).hexdigest()
            assert hmac.compare_digest(expected, fields['v1']), line
            assert abs(time.time() - int(fields['t'])) < 600, 'stale t'
            ok += 1
        print('verified', ok)
        """);
    ProcessRunner.Result result =
        ProcessRunner.run(
            List.of(python.toString(), script.toString(), input.toString(), SECRET), WAIT);
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("verified " + requests.size());
  }

  private static VireoConfig config(Path spoolDir, int nextHopPort, String url) throws Exception {
    String delivery =
        """
        delivery:
          tls: none
          routes:
            - { domains: ["*"], via: "127.0.0.6:%d", tls: none }
        """
            .formatted(nextHopPort);
    String webhooks =
        """
        webhooks:
          - { url: "%s", secret-file: "%s", batch: 5, timeout: 5s }
        """
            .formatted(url, spoolDir.resolveSibling("hook.secret"));
    return ConfigLoader.parse(TestRelays.yaml(spoolDir, delivery, webhooks), "test.yaml");
  }

  /** Messages from the null sender (so no reports add events), to one good and one bad address. */
  private static void send(Relay relay, int count) throws Exception {
    try (SmtpTestClient client = SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
      client.ehlo("app.test");
      for (int i = 0; i < count; i++) {
        client.sendMessage(
            "", List.of("good@example.net", "bad@example.net"), "Subject: " + i + "\r\n\r\nbody\r\n");
      }
    }
  }

  /** Every event in the log, by event id. */
  private static Map<String, Event> logged(Path spoolDir) {
    Map<String, Event> events = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(spoolDir.resolve("event-log"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
        for (String line : Files.readAllLines(file)) {
          Event event = EventJson.parse(line);
          events.put(event.eventId(), event);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return events;
  }

  /** Events received, deduplicated by event id; a repeat must be the same event. */
  private static Map<String, Event> received(WebhookReceiver receiver) {
    Map<String, Event> events = new LinkedHashMap<>();
    for (WebhookReceiver.Request request : receiver.accepted()) {
      for (Event event : parseBody(request.body())) {
        Event earlier = events.putIfAbsent(event.eventId(), event);
        assertThat(earlier == null || earlier.equals(event)).as("a repeat is the same event").isTrue();
      }
    }
    return events;
  }

  private static List<Event> parseBody(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    List<Event> events = new ArrayList<>();
    if (text.startsWith("[")) {
      for (Object item : asList(text)) {
        events.add(EventJson.parse((String) item));
      }
    } else {
      events.add(EventJson.parse(text));
    }
    return events;
  }

  /** The array's elements, each as its JSON text (the lines as the log has them). */
  private static List<Object> asList(String array) {
    List<Object> items = new ArrayList<>();
    int depth = 0;
    int start = -1;
    boolean inString = false;
    for (int i = 1; i < array.length() - 1; i++) {
      char c = array.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
        continue;
      }
      switch (c) {
        case '"' -> inString = true;
        case '{' -> {
          if (depth++ == 0) {
            start = i;
          }
        }
        case '}' -> {
          if (--depth == 0) {
            items.add(array.substring(start, i + 1));
          }
        }
        default -> {}
      }
    }
    return items;
  }
}
