package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigLoader;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's changes beyond flush and bounce: {@code queue hold}, {@code release} and {@code
 * delete} (API and CLI, by id, by filter and all, streamed progress, durable across a restart),
 * {@code destination suspend} and {@code resume}; and each of them refused with the relay stopped.
 * Delivery is parked on a closed port, so messages stay queued and every attempt is a deferral
 * that counts in {@code attempts}.
 */
class QueueControlIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String PARKED = "route:127.0.0.1:1";

  @TempDir Path dir;

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(String json) throws IOException {
    return (Map<String, Object>) JsonValues.parse(json);
  }

  private static List<Map<String, Object>> lines(String ndjson) throws IOException {
    List<Map<String, Object>> objects = new ArrayList<>();
    for (String line : ndjson.split("\n")) {
      if (!line.isBlank()) {
        objects.add(object(line));
      }
    }
    return objects;
  }

  /** The first recipient's field in {@code GET /v1/queue/ID}, or null when it cannot be read. */
  private static Object field(AdminClient admin, String id, String field) {
    try {
      Map<String, Object> message = object(admin.get("/v1/queue/" + id).body());
      return ((Map<String, Object>) ((List<?>) message.get("recipients")).getFirst()).get(field);
    } catch (Exception e) {
      return null;
    }
  }

  private static long attempts(AdminClient admin, String id) {
    Object attempts = field(admin, id, "attempts");
    return attempts == null ? -1 : (Long) attempts;
  }

  private static List<String> ids(AdminClient admin, String query) throws Exception {
    return lines(admin.get("/v1/queue" + query).body()).stream()
        .map(m -> (String) m.get("queue_id"))
        .toList();
  }

  @Test
  void holdReleaseDeleteAndSuspendOnARunningRelayThenRefusedOnItsStoppedSpool() throws Exception {
    Path file = TestRelays.writeConfig(dir, TestRelays.PARKED_DELIVERY, "");
    String config = file.toString();
    List<String> ids = new ArrayList<>();
    String kept;
    try (Relay relay = Relay.start(ConfigLoader.load(file), file)) {
      try (SmtpTestClient client =
          SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
        client.ehlo("queue.test");
        for (int i = 0; i < 4; i++) {
          ids.add(
              client.sendMessage(
                  i < 2 ? "alice@sender.test" : "bob@sender.test",
                  List.of("r" + i + "@x.test"),
                  "Subject: " + i + "\r\n\r\nbody\r\n"));
        }
      }
      AdminClient admin = new AdminClient(relay.adminAddress());
      for (String id : ids) {
        Await.until(id + " deferred", WAIT, () -> attempts(admin, id) == 1);
      }

      // Hold everything through the API: streamed, a progress line per message, then the count.
      AdminClient.Reply held = admin.send("POST", "/v1/queue/hold?all=true&progress=1");
      assertThat(held.status()).isEqualTo(200);
      assertThat(held.contentType()).isEqualTo("application/x-ndjson");
      List<Map<String, Object>> heldLines = lines(held.body());
      assertThat(heldLines).hasSize(5);
      assertThat(heldLines.getFirst()).containsEntry("progress", "hold").containsEntry("messages", 1L);
      assertThat(heldLines.getLast())
          .containsEntry("operation", "hold")
          .containsEntry("messages", 4L)
          .containsEntry("recipients", 4L);
      assertThat(field(admin, ids.get(0), "state")).isEqualTo("held");
      assertThat(object(admin.get("/v1/queue/" + ids.get(0)).body()).get("queue_name"))
          .isEqualTo("hold");
      assertThat(ids(admin, "?state=held")).containsExactlyElementsOf(ids);
      // A held recipient is not attempted: a flush skips it, holding again changes nothing.
      assertThat(lines(admin.send("POST", "/v1/queue/flush?all=true").body()).getLast())
          .containsEntry("messages", 0L);
      assertThat(lines(admin.send("POST", "/v1/queue/hold?id=" + ids.get(0)).body()).getLast())
          .containsEntry("messages", 0L);

      // Release by sender through the CLI: due at once, so attempted (and deferred) again.
      ProcessRunner.Split released =
          RelayProcess.runSplit(WAIT, "queue", "release", "--sender", "alice", "--config", config);
      assertThat(released.exitCode()).as(released.stderr()).isZero();
      assertThat(released.stdout()).isEqualTo("release: 2 messages, 2 recipients\n");
      for (String id : ids.subList(0, 2)) {
        Await.until(id + " attempted after its release", WAIT, () -> attempts(admin, id) >= 2);
        assertThat(field(admin, id, "state")).isEqualTo("deferred");
      }
      assertThat(field(admin, ids.get(2), "state")).isEqualTo("held");

      // Delete: asks first (no terminal here, so it says --yes is needed), removes without a DSN.
      ProcessRunner.Split unsure =
          RelayProcess.runSplit(WAIT, "queue", "delete", ids.get(2), "--config", config);
      assertThat(unsure.exitCode()).isEqualTo(1);
      assertThat(unsure.stderr()).contains("without telling its sender").contains("add --yes");
      ProcessRunner.Split deleted =
          RelayProcess.runSplit(
              WAIT, "queue", "delete", "--recipient", "r2@", "--yes", "--config", config);
      assertThat(deleted.exitCode()).as(deleted.stderr()).isZero();
      assertThat(deleted.stdout()).isEqualTo("delete: 1 messages, 1 recipients\n");
      assertThat(field(admin, ids.get(2), "state")).isEqualTo("deleted");
      assertThat(ids(admin, "")).doesNotContain(ids.get(2));
      // No report went to bob: nothing from the null sender is queued.
      assertThat(admin.get("/v1/queue").body()).doesNotContain("\"sender\":\"\"");

      // Suspend the parked route: a flush queues its jobs there, none is attempted.
      ProcessRunner.Split suspended =
          RelayProcess.runSplit(WAIT, "destination", "suspend", PARKED, "--config", config);
      assertThat(suspended.exitCode()).as(suspended.stderr()).isZero();
      assertThat(suspended.stdout()).isEqualTo(PARKED + ": suspended\n");
      assertThat(lines(admin.send("POST", "/v1/queue/flush?id=" + ids.get(0)).body()).getLast())
          .containsEntry("messages", 1L);
      Await.until(
          "the flushed job waiting at the suspended destination",
          WAIT,
          () -> destination(admin).map(d -> ((Long) d.get("queued")) >= 1L).orElse(false));
      Map<String, Object> parked = destination(admin).orElseThrow();
      assertThat(parked).containsEntry("operator_suspended", true).containsEntry("suspended", true);
      // Waiting at the suspended destination: no attempt is made until it is resumed.
      long parkedAttempts = attempts(admin, ids.get(0));
      AdminClient.Reply again =
          admin.send("POST", "/v1/destinations/suspend?destination=" + PARKED);
      assertThat(object(again.body())).containsEntry("changed", false);
      ProcessRunner.Split list =
          RelayProcess.runSplit(WAIT, "destination", "list", "--config", config);
      assertThat(list.stdout()).containsPattern("route:127\\.0\\.0\\.1:1 +[1-9]\\d* +0 +true");
      assertThat(attempts(admin, ids.get(0))).isEqualTo(parkedAttempts);
      AdminClient.Reply resumed =
          admin.send("POST", "/v1/destinations/resume?destination=" + PARKED);
      assertThat(object(resumed.body())).containsEntry("changed", true);
      Await.until(
          "attempted once resumed", WAIT, () -> attempts(admin, ids.get(0)) > parkedAttempts);
      assertThat(admin.send("POST", "/v1/destinations/suspend").status()).isEqualTo(400);
      assertThat(
              admin.send("POST", "/v1/destinations/suspend?destination=x", "Origin", "http://x").status())
          .isEqualTo(403);

      // Hold one message for the restart below.
      kept = ids.get(1);
      assertThat(lines(admin.send("POST", "/v1/queue/hold?id=" + kept).body()).getLast())
          .containsEntry("recipients", 1L);
    }

    // Stopped: the hold survived (read from the spool), and changing commands need the relay.
    ProcessRunner.Split offline =
        RelayProcess.runSplit(
            WAIT, "queue", "list", "--state", "held", "--json", "--config", config);
    assertThat(offline.exitCode()).as(offline.stderr()).isZero();
    assertThat(lines(offline.stdout()).stream().map(m -> (String) m.get("queue_id")).toList())
        .containsExactly(kept, ids.get(3));
    for (String[] changing :
        List.of(
            new String[] {"queue", "hold", "--all"},
            new String[] {"queue", "release", kept},
            new String[] {"queue", "delete", kept, "--yes"},
            new String[] {"destination", "suspend", PARKED},
            new String[] {"destination", "resume", PARKED})) {
      String[] args = java.util.Arrays.copyOf(changing, changing.length + 2);
      args[changing.length] = "--config";
      args[changing.length + 1] = config;
      ProcessRunner.Split refused = RelayProcess.runSplit(WAIT, args);
      assertThat(refused.exitCode()).as(String.join(" ", changing)).isEqualTo(1);
      assertThat(refused.stderr()).contains("needs the relay running");
    }

    // Restarted: still held, and not attempted until released.
    try (Relay relay = Relay.start(ConfigLoader.load(file), file)) {
      AdminClient admin = new AdminClient(relay.adminAddress());
      assertThat(field(admin, kept, "state")).isEqualTo("held");
      long before = attempts(admin, kept);
      assertThat(lines(admin.send("POST", "/v1/queue/release?id=" + kept).body()).getLast())
          .containsEntry("recipients", 1L);
      Await.until("attempted after the release", WAIT, () -> attempts(admin, kept) == before + 1);
    }
  }

  private static java.util.Optional<Map<String, Object>> destination(AdminClient admin) {
    try {
      List<?> all = (List<?>) object(admin.get("/v1/destinations").body()).get("destinations");
      @SuppressWarnings("unchecked")
      java.util.stream.Stream<Map<String, Object>> maps = all.stream().map(d -> (Map<String, Object>) d);
      return maps
          .filter(d -> PARKED.equals(d.get("destination")))
          .findFirst();
    } catch (Exception e) {
      return java.util.Optional.empty();
    }
  }
}
