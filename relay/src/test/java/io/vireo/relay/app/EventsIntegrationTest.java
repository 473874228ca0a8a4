package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.relay.events.Event;
import io.vireo.relay.events.EventJson;
import io.vireo.relay.events.EventType;
import io.vireo.relay.events.RecipientEvent;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.ScriptedSmtpServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every recipient state change of a real relay is an event in its log: {@code received} (also for
 * the reports the relay composes itself), {@code delivered}, {@code deferred}, {@code bounced} (also
 * when the operator bounces with {@code queue bounce}), {@code expired}, and {@code suppressed}
 * (also for the HTTP API's 422, not only at RCPT). The next hop is a scripted SMTP server.
 */
class EventsIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String SEND =
      "{\"from\": \"app@example.com\", \"to\": \"%s\", \"subject\": \"s\", \"text\": \"t\"}";

  @TempDir Path dir;

  private final ApiHarness http = new ApiHarness();

  private static String delivery(ScriptedSmtpServer nextHop, String maxAge) {
    return """
        delivery:
          tls: none
          routes:
            - { domains: ["*"], via: "127.0.0.6:%d", tls: none }
          retry:
            schedule: [300ms]
            max-age: %s
        suppression:
          enabled: true
        """
        .formatted(nextHop.port(), maxAge);
  }

  private static ScriptedSmtpServer nextHop() throws IOException {
    ScriptedSmtpServer server = new ScriptedSmtpServer("127.0.0.6");
    server.onRcpt(
        rcpt ->
            rcpt.contains("bad@")
                ? "550 5.1.1 no such user"
                : rcpt.contains("later@") ? "451 4.3.0 not now" : null);
    return server;
  }

  @Test
  void bouncesReportsOperatorBouncesAndApiRefusalsAreEvents() throws Exception {
    try (ScriptedSmtpServer nextHop = nextHop();
        Relay relay = Relay.start(ApiHarness.config(dir, delivery(nextHop, "1h"), ""))) {
      String key = ApiHarness.createKey(dir, "app", List.of(), Optional.empty());

      // A hard bounce: bounced, then the report the relay composes is received and delivered.
      String bounced = ApiHarness.id(http.post(relay, "/v1/messages", key, SEND.formatted("bad@example.net")).body());
      RecipientEvent bounce = await(type(EventType.BOUNCED).and(id(bounced)));
      assertThat(bounce.reply()).isEqualTo("550 5.1.1 no such user");
      assertThat(bounce.dsn()).isEqualTo("5.1.1");
      RecipientEvent report =
          await(e -> e.type() == EventType.RECEIVED && "".equals(e.sender()) && e.recipient().equals("app@example.com"));
      assertThat(report.id()).isNotNull();
      await(type(EventType.DELIVERED).and(id(report.id().value())));

      // The address is suppressed now: the API refuses it with 422 and a suppressed event.
      Await.until("bad@ suppressed", WAIT, () -> relay.suppressions().orElseThrow().isSuppressed("bad@example.net"));
      HttpResponse<String> refused = http.post(relay, "/v1/messages", key, SEND.formatted("bad@example.net"));
      assertThat(refused.statusCode()).isEqualTo(422);
      RecipientEvent suppressed =
          await(e -> e.type() == EventType.SUPPRESSED && e.recipient().equals("bad@example.net"));
      assertThat(suppressed.id()).isNull();
      assertThat(suppressed.sender()).isEqualTo("app@example.com");
      assertThat(suppressed.dsn()).isEqualTo("5.7.1");
      assertThat(suppressed.reply()).startsWith("550 5.7.1").contains("hard bounce");

      // Deferred, then bounced by the operator through the admin API.
      String later = ApiHarness.id(http.post(relay, "/v1/messages", key, SEND.formatted("later@example.net")).body());
      RecipientEvent deferred = await(type(EventType.DEFERRED).and(id(later)));
      assertThat(deferred.reply()).isEqualTo("451 4.3.0 not now");
      assertThat(deferred.nextAttempt()).isNotNull();
      AdminClient.Reply answer = new AdminClient(relay.adminAddress()).send("POST", "/v1/queue/bounce?id=" + later);
      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      RecipientEvent operator = await(type(EventType.BOUNCED).and(id(later)));
      assertThat(operator.reply()).isEqualTo(QueueOperations.OPERATOR_BOUNCE);
      assertThat(operator.dsn()).isEqualTo("5.0.0");
      assertThat(operator.relay()).isNull();
      await(e -> e.type() == EventType.RECEIVED && "".equals(e.sender()) && !e.id().equals(report.id()));
      assertThat(relay.suppressions().orElseThrow().isSuppressed("later@example.net"))
          .as("an operator's bounce is no reason to suppress")
          .isFalse();
      // The message's status shows the bounce as its history's last word.
      Await.until(
          "the status shows the bounce",
          WAIT,
          () -> http.okBody(relay, "/v1/messages/" + later, key).contains("\"state\":\"bounced\""));
      Map<?, ?> status = (Map<?, ?>) JsonValues.parse(http.get(relay, "/v1/messages/" + later, key).body());
      List<?> history = (List<?>) status.get("history");
      assertThat(((Map<?, ?>) history.getFirst()).get("type")).isEqualTo("received");
      assertThat(((Map<?, ?>) history.get(1)).get("type")).isEqualTo("deferred");
      Map<?, ?> last = (Map<?, ?>) history.getLast();
      assertThat(last.get("type")).isEqualTo("bounced");
      assertThat(last.get("reply")).isEqualTo(QueueOperations.OPERATOR_BOUNCE);

      // And the plain case: received, delivered.
      String fine = ApiHarness.id(http.post(relay, "/v1/messages", key, SEND.formatted("fine@example.net")).body());
      await(type(EventType.RECEIVED).and(id(fine)));
      await(type(EventType.DELIVERED).and(id(fine)));
    }
  }

  @Test
  void aRecipientStillDeferredAtMaxAgeExpires() throws Exception {
    try (ScriptedSmtpServer nextHop = nextHop();
        Relay relay = Relay.start(ApiHarness.config(dir, delivery(nextHop, "2s"), ""))) {
      String key = ApiHarness.createKey(dir, "app", List.of(), Optional.empty());
      String later = ApiHarness.id(http.post(relay, "/v1/messages", key, SEND.formatted("later@example.net")).body());
      await(type(EventType.DEFERRED).and(id(later)));
      RecipientEvent expired = await(type(EventType.EXPIRED).and(id(later)));
      assertThat(expired.dsn()).isEqualTo("4.4.7");
      await(e -> e.type() == EventType.RECEIVED && "".equals(e.sender()) && e.recipient().equals("app@example.com"));
    }
  }

  private static Predicate<RecipientEvent> type(EventType type) {
    return e -> e.type() == type;
  }

  private static Predicate<RecipientEvent> id(String id) {
    return e -> e.id() != null && e.id().value().equals(id);
  }

  private RecipientEvent await(Predicate<RecipientEvent> wanted) {
    RecipientEvent[] found = new RecipientEvent[1];
    Await.until(
        "an event",
        WAIT,
        () -> {
          found[0] = events().stream().map(Event::change).filter(wanted).findFirst().orElse(null);
          return found[0] != null;
        });
    return found[0];
  }

  private List<Event> events() {
    List<Event> events = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir.resolve("spool").resolve("event-log"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
        for (String line : Files.readAllLines(f)) {
          try {
            events.add(EventJson.parse(line));
          } catch (IllegalArgumentException e) {
            // The last line, half written as we read.
          }
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return events;
  }
}
