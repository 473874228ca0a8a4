package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigLoader;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue endpoints of the admin API and the {@code vireo queue} and {@code vireo destination}
 * commands, against a running relay (delivery parked on a closed port, so messages stay queued)
 * and then against its stopped spool.
 */
class QueueApiIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> lines(String ndjson) throws IOException {
    List<Map<String, Object>> objects = new java.util.ArrayList<>();
    for (String line : ndjson.split("\n")) {
      if (!line.isBlank()) {
        objects.add((Map<String, Object>) JsonValues.parse(line));
      }
    }
    return objects;
  }

  private static List<String> ids(String ndjson) throws IOException {
    return lines(ndjson).stream().map(m -> (String) m.get("queue_id")).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(String json) throws IOException {
    return (Map<String, Object>) JsonValues.parse(json);
  }

  private static List<?> recipients(Map<?, ?> message) {
    return (List<?>) message.get("recipients");
  }

  private static Object recipientField(AdminClient admin, String id, String field)
      throws Exception {
    AdminClient.Reply reply = admin.get("/v1/queue/" + id);
    return ((Map<?, ?>) recipients(object(reply.body())).getFirst()).get(field);
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyQueueEndpointAndCommandOnARunningRelayThenOnItsStoppedSpool() throws Exception {
    Path file = TestRelays.writeConfig(dir, TestRelays.PARKED_DELIVERY, "");
    String first;
    String second;
    String other;
    try (Relay relay = Relay.start(ConfigLoader.load(file), file)) {
      try (SmtpTestClient client =
          SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
        client.ehlo("queue.test");
        first = client.sendMessage("alice@sender.test", List.of("a@x.test"), "Subject: 1\r\n\r\none\r\n");
        second = client.sendMessage("bob@sender.test", List.of("b@x.test"), "Subject: 2\r\n\r\ntwo\r\n");
        other = client.sendMessage("alice@sender.test", List.of("c@y.test"), "Subject: 3\r\n\r\nthree\r\n");
      }
      AdminClient admin = new AdminClient(relay.adminAddress());
      // The parked route defers each recipient at its first attempt.
      for (String id : List.of(first, second, other)) {
        Await.until(
            id + " deferred", WAIT, () -> "deferred".equals(field(admin, id, "state")));
      }

      AdminClient.Reply all = admin.get("/v1/queue");
      assertThat(all.status()).isEqualTo(200);
      assertThat(all.contentType()).isEqualTo("application/x-ndjson");
      List<Map<String, Object>> listed = lines(all.body());
      assertThat(ids(all.body())).containsExactly(first, second, other);
      Map<String, Object> one = listed.getFirst();
      assertThat(one.keySet())
          .contains("queue_id", "queue_name", "arrival_time", "message_size", "sender", "recipients");
      assertThat(one.get("queue_name")).isEqualTo("deferred");
      assertThat(((Map<String, Object>) recipients(one).getFirst()).keySet())
          .contains("address", "state", "attempts", "next_attempt", "delay_reason");

      assertThat(ids(admin.get("/v1/queue?domain=y.test").body()))
          .containsExactly(other);
      assertThat(lines(admin.get("/v1/queue?sender=ALICE").body())).hasSize(2);
      assertThat(lines(admin.get("/v1/queue?recipient=b%40x").body())).hasSize(1);
      assertThat(lines(admin.get("/v1/queue?state=pending").body())).isEmpty();
      assertThat(lines(admin.get("/v1/queue?older-than=1d").body())).isEmpty();
      assertThat(ids(admin.get("/v1/queue?limit=2").body()))
          .containsExactly(first, second);
      assertThat(ids(admin.get("/v1/queue?limit=2&after=" + second).body()))
          .containsExactly(other);
      AdminClient.Reply bad = admin.get("/v1/queue?state=lost");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.body())
          .isEqualTo(
              "{\"error\":{\"code\":\"bad_request\",\"message\":\"state must be pending, deferred,"
                  + " failed or held: lost\"}}\n");
      assertThat(admin.get("/v1/queue?colour=red").status()).isEqualTo(400);

      AdminClient.Reply show = admin.get("/v1/queue/" + first);
      assertThat(show.status()).isEqualTo(200);
      assertThat(object(show.body()).get("sender")).isEqualTo("alice@sender.test");
      assertThat(admin.get("/v1/queue/00000000000000000000").status()).isEqualTo(404);

      Map<?, ?> summary = object(admin.get("/v1/queue/summary").body());
      assertThat(summary.get("bucket_minutes"))
          .isEqualTo(List.of(5L, 10L, 20L, 40L, 80L, 160L, 320L, 640L, 1280L));
      assertThat(((Map<?, ?>) summary.get("total")).get("total")).isEqualTo(3L);
      List<?> domains = (List<?>) summary.get("destinations");
      assertThat(((Map<?, ?>) domains.get(0)).get("domain")).isEqualTo("x.test");
      assertThat(((Map<?, ?>) domains.get(0)).get("counts"))
          .isEqualTo(List.of(2L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L));

      AdminClient.Reply destinations = admin.get("/v1/destinations");
      assertThat(destinations.status()).isEqualTo(200);
      assertThat(object(destinations.body())).containsKey("destinations");

      // Flush: retried now, so the attempts go up.
      assertThat(admin.get("/v1/queue/flush").status()).isEqualTo(405);
      assertThat(admin.send("POST", "/v1/queue/flush").status()).isEqualTo(400);
      assertThat(admin.send("POST", "/v1/queue/flush?all=true", "Origin", "http://x").status())
          .isEqualTo(403);
      AdminClient.Reply flushed = admin.send("POST", "/v1/queue/flush?domain=x.test");
      assertThat(flushed.status()).isEqualTo(200);
      assertThat(flushed.body())
          .isEqualTo("{\"operation\":\"flush\",\"messages\":2,\"recipients\":2}\n");
      Await.until(
          "a second attempt after the flush",
          WAIT,
          () -> Long.valueOf(2).equals(field(admin, first, "attempts")));

      // The CLI, live.
      String config = file.toString();
      ProcessRunner.Split table = RelayProcess.runSplit(WAIT, "queue", "list", "--config", config);
      assertThat(table.exitCode()).as(table.stderr()).isZero();
      assertThat(table.stdout())
          .contains(first)
          .contains("c@y.test (deferred)")
          .contains("-- 3 messages");
      ProcessRunner.Split page =
          RelayProcess.runSplit(WAIT, "queue", "list", "--limit", "1", "--config", config);
      assertThat(page.stdout()).contains("-- 1 message\n-- more may follow: --after " + first);
      ProcessRunner.Split jsonLines =
          RelayProcess.runSplit(
              WAIT, "queue", "list", "--json", "--domain", "y.test", "--config", config);
      assertThat(ids(jsonLines.stdout())).containsExactly(other);
      ProcessRunner.Split shown =
          RelayProcess.runSplit(WAIT, "queue", "show", second, "--json", "--config", config);
      assertThat(object(shown.stdout()).get("queue_id")).isEqualTo(second);
      ProcessRunner.Split shape = RelayProcess.runSplit(WAIT, "queue", "summary", "--config", config);
      assertThat(shape.exitCode()).as(shape.stderr()).isZero();
      assertThat(shape.stdout()).containsPattern("TOTAL +3 +3").containsPattern("x\\.test +2 +2");
      ProcessRunner.Split flushCli =
          RelayProcess.runSplit(WAIT, "queue", "flush", other, "--config", config);
      assertThat(flushCli.stdout()).isEqualTo("flush: 1 messages, 1 recipients\n");
      ProcessRunner.Split unsure =
          RelayProcess.runSplit(WAIT, "queue", "bounce", "--all", "--config", config);
      assertThat(unsure.exitCode()).isEqualTo(1);
      assertThat(unsure.stderr()).contains("add --yes");
      ProcessRunner.Split destinationList =
          RelayProcess.runSplit(WAIT, "destination", "list", "--config", config);
      assertThat(destinationList.exitCode()).as(destinationList.stderr()).isZero();
      assertThat(destinationList.stdout()).startsWith("DESTINATION");

      // Bounce: failed for good, and a DSN to the sender queued from the null sender.
      ProcessRunner.Split bounced =
          RelayProcess.runSplit(WAIT, "queue", "bounce", other, "--config", config);
      assertThat(bounced.stdout()).isEqualTo("bounce: 1 messages, 1 recipients\n");
      Await.until("the bounce recorded", WAIT, () -> "bounced".equals(field(admin, other, "state")));
      Await.until(
          "a DSN queued for alice",
          WAIT,
          () -> bodyOf(admin, "/v1/queue?recipient=alice%40sender.test").contains("\"sender\":\"\""));
      assertThat(ids(admin.get("/v1/queue").body()))
          .doesNotContain(other);
    }

    // Stopped: read-only commands read the spool, changing ones need the relay.
    String config = file.toString();
    ProcessRunner.Split offline = RelayProcess.runSplit(WAIT, "queue", "list", "--config", config);
    assertThat(offline.exitCode()).as(offline.stderr()).isZero();
    assertThat(offline.stderr()).contains("is it running? Reading the spool instead.");
    assertThat(offline.stdout()).contains(first).contains(second).doesNotContain(other);
    ProcessRunner.Split offlineJson =
        RelayProcess.runSplit(WAIT, "queue", "list", "--json", "--sender", "bob", "--config", config);
    assertThat(ids(offlineJson.stdout())).containsExactly(second);
    ProcessRunner.Split offlineShape =
        RelayProcess.runSplit(WAIT, "queue", "summary", "--json", "--config", config);
    assertThat(object(offlineShape.stdout()).get("total")).isNotNull();
    ProcessRunner.Split offlineShow =
        RelayProcess.runSplit(WAIT, "queue", "show", first, "--config", config);
    assertThat(offlineShow.stdout()).contains("sender:    <alice@sender.test>").contains("Subject: 1");
    for (String[] changing :
        List.of(
            new String[] {"queue", "flush", "--all"},
            new String[] {"queue", "bounce", first},
            new String[] {"destination", "list"})) {
      String[] args = java.util.Arrays.copyOf(changing, changing.length + 2);
      args[changing.length] = "--config";
      args[changing.length + 1] = config;
      ProcessRunner.Split refused = RelayProcess.runSplit(WAIT, args);
      assertThat(refused.exitCode()).as(String.join(" ", changing)).isEqualTo(1);
      assertThat(refused.stderr()).contains("needs the relay running");
    }
  }

  private static Object field(AdminClient admin, String id, String field) {
    try {
      return recipientField(admin, id, field);
    } catch (Exception e) {
      return null;
    }
  }

  private static String bodyOf(AdminClient admin, String path) {
    try {
      return admin.get(path).body();
    } catch (Exception e) {
      return "";
    }
  }
}
