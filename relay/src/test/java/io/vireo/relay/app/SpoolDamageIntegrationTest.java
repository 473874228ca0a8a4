package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vireo.config.ConfigLoader;
import io.vireo.relay.testing.ScriptedSmtpServer;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spool damaged while the relay was stopped, as an operator meets it: {@code spool check} says
 * what is wrong, the relay repairs what it can at start, every intact message is delivered exactly
 * once, and commands keep their standard output clean for tools.
 */
class SpoolDamageIntegrationTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int MESSAGES = 40;
  private static final Pattern SUBJECT = Pattern.compile("Subject: message (\\d+)\r\n");

  @TempDir Path dir;

  private Path spool() {
    return dir.resolve("spool");
  }

  private List<String> acceptWhileParked() throws Exception {
    List<String> ids = new ArrayList<>();
    // Parked (nothing reachable), retried soon once a next hop appears.
    String parked =
        """
        delivery:
          retry:
            schedule: [1s]
          # A refused connection suspends the destination: keep that pause short too, or the
          # messages deferred meanwhile wait out the default 30 s after the restart.
          backoff:
            initial: 1s
            max: 1s
          routes:
            - { domains: ["*"], via: "127.0.0.1:1", tls: none }
        """;
    try (Relay relay =
            Relay.start(ConfigLoader.parse(TestRelays.yaml(spool(), parked, ""), "test.yaml"));
        SmtpTestClient client = SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
      client.ehlo("app.test");
      for (int i = 0; i < MESSAGES; i++) {
        ids.add(
            client.sendMessage(
                "app@example.com",
                List.of("user" + i + "@example.net"),
                "Subject: message " + i + "\r\n\r\n" + "line of text\r\n".repeat(20 + i)));
      }
    }
    return ids;
  }

  private Relay startDeliveringTo(ScriptedSmtpServer nextHop) throws Exception {
    String delivery =
        """
        delivery:
          tls: none
          retry:
            schedule: [1s]
          routes:
            - { domains: ["*"], via: "127.0.0.6:%d", tls: none }
        """
            .formatted(nextHop.port());
    return Relay.start(ConfigLoader.parse(TestRelays.yaml(spool(), delivery, ""), "test.yaml"));
  }

  private Path newestMessagesCycle() throws IOException {
    try (Stream<Path> files = Files.list(spool().resolve("messages"))) {
      return files.filter(f -> f.toString().endsWith(".cq4")).sorted().toList().getLast();
    }
  }

  /** Where the data of a cycle file ends: after its last non-zero byte (the rest is pre-allocated). */
  private static long dataEnd(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] == 0) {
      end--;
    }
    return end;
  }

  private static String metrics(Relay relay) throws Exception {
    var address = relay.adminAddress();
    try (var http = java.net.http.HttpClient.newHttpClient()) {
      var request =
          java.net.http.HttpRequest.newBuilder(
                  java.net.URI.create(
                      "http://127.0.0.1:" + address.getPort() + "/metrics"))
              .timeout(Duration.ofSeconds(10))
              .build();
      return http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }
  }

  private static long indexOf(Path file, String text) throws IOException {
    String content = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
    int at = content.indexOf(text);
    assertThat(at).as("%s in %s", text, file).isPositive();
    return at;
  }

  private static Set<String> listedIds(String json) throws IOException {
    Set<String> ids = new HashSet<>();
    try (JsonParser parser = new JsonFactory().createParser(json)) {
      while (parser.nextToken() != null) {
        if (parser.currentToken() == JsonToken.FIELD_NAME && parser.currentName().equals("queue_id")) {
          parser.nextToken();
          ids.add(parser.getText());
        }
      }
    }
    return ids;
  }

  @Test
  void aTornJournalIsReportedRepairedAtStartAndEveryIntactMessageDeliveredOnce() throws Exception {
    List<String> accepted = acceptWhileParked();
    Path cycle = newestMessagesCycle();
    // Cut 60% into the messages (past Chronicle's own header and index pages).
    long dataStart = indexOf(cycle, "Subject: message 0\r\n");
    try (RandomAccessFile file = new RandomAccessFile(cycle.toFile(), "rw")) {
      file.setLength(dataStart + (dataEnd(cycle) - dataStart) * 6 / 10);
    }

    ProcessRunner.Result check =
        RelayProcess.run(TIMEOUT, "spool", "check", "--spool", spool().toString());
    assertThat(check.exitCode()).as(check.output()).isEqualTo(SpoolCommand.DAMAGED);
    assertThat(check.output())
        .contains("DAMAGED damaged_records: messages/" + cycle.getFileName())
        .contains("spool check --repair");

    // What still reads, as a tool sees it: JSON alone on stdout, warnings on stderr.
    ProcessRunner.Split listed =
        RelayProcess.runSplit(TIMEOUT, "queue", "list", "--json", "--spool", spool().toString());
    assertThat(listed.exitCode()).as(listed.stderr()).isZero();
    assertThat(listed.stderr()).contains("read-only: left as it is");
    Set<String> intact = listedIds(listed.stdout());
    assertThat(intact).isNotEmpty().hasSizeLessThan(MESSAGES);
    assertThat(accepted).containsAll(intact);

    List<String> later = new ArrayList<>();
    try (ScriptedSmtpServer nextHop = new ScriptedSmtpServer("127.0.0.6");
        Relay relay = startDeliveringTo(nextHop)) {
      try (SmtpTestClient client =
          SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
        client.ehlo("app.test");
        for (int i = MESSAGES; i < MESSAGES + 5; i++) {
          later.add(
              client.sendMessage(
                  "app@example.com",
                  List.of("user" + i + "@example.net"),
                  "Subject: message " + i + "\r\n\r\nafter the repair\r\n"));
        }
      }
      List<ScriptedSmtpServer.ReceivedMessage> received =
          nextHop.awaitMessages(intact.size() + later.size(), WAIT);
      List<Integer> numbers = new ArrayList<>();
      for (ScriptedSmtpServer.ReceivedMessage message : received) {
        Matcher subject = SUBJECT.matcher(message.dataAsString());
        assertThat(subject.find()).isTrue();
        numbers.add(Integer.parseInt(subject.group(1)));
      }
      assertThat(numbers).doesNotHaveDuplicates().hasSize(intact.size() + later.size());
      Set<String> deliveredIds = new HashSet<>();
      for (int number : numbers) {
        deliveredIds.add(number < MESSAGES ? accepted.get(number) : later.get(number - MESSAGES));
      }
      assertThat(deliveredIds).containsAll(intact).containsAll(later);
      // What recovery found and quarantined is published for the operator's dashboards.
      String metrics = metrics(relay);
      assertThat(metrics).contains("vireo_spool_damage_found 1.0");
      assertThat(metrics).containsPattern("vireo_spool_damaged_contents_total 0\\.0");
    }
    ProcessRunner.Result after =
        RelayProcess.run(TIMEOUT, "spool", "check", "--spool", spool().toString());
    assertThat(after.exitCode()).as(after.output()).isEqualTo(SpoolCommand.SOUND);
    try (Stream<Path> quarantined = Files.walk(spool().resolve("quarantine"))) {
      assertThat(quarantined.filter(p -> p.toString().endsWith(".bin"))).hasSize(1);
    }
  }

  @Test
  void aLostEventsJournalStopsTheRelayWithOneLineUntilRepaired() throws Exception {
    acceptWhileParked(); // parked delivery defers each message once: the events journal exists
    try (Stream<Path> files = Files.list(spool().resolve("events"))) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Path config = dir.resolve("vireo.yaml");
    Files.writeString(config, TestRelays.yaml(spool(), ""));

    ProcessRunner.Split refused = RelayProcess.runSplit(TIMEOUT, "serve", "--config", config.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    String lastLine = refused.stderr().strip().lines().toList().getLast();
    assertThat(lastLine)
        .startsWith("vireo: spool ")
        .contains("events are missing")
        .contains("spool check --repair");
    assertThat(refused.stderr()).doesNotContain("\tat ");

    ProcessRunner.Result repaired =
        RelayProcess.run(TIMEOUT, "spool", "check", "--repair", "--spool", spool().toString());
    assertThat(repaired.exitCode()).as(repaired.output()).isEqualTo(SpoolCommand.SOUND);
    assertThat(repaired.output())
        .contains("DAMAGED events_journal_lost")
        .contains("may be repeated")
        .contains("REPAIRED");

    ProcessRunner.Split listed =
        RelayProcess.runSplit(TIMEOUT, "queue", "list", "--json", "--spool", spool().toString());
    assertThat(listedIds(listed.stdout())).hasSize(MESSAGES);
  }

  @Test
  void aSpoolHeldByARunningRelayIsOneLineForRepair() throws Exception {
    try (Relay relay = Relay.start(TestRelays.config(spool()))) {
      ProcessRunner.Split busy =
          RelayProcess.runSplit(TIMEOUT, "spool", "check", "--repair", "--spool", spool().toString());
      assertThat(busy.exitCode()).isEqualTo(SpoolCommand.FAILED);
      assertThat(busy.stderr().strip().lines().toList().getLast())
          .contains("in use by another process")
          .contains("stop it first");
      assertThat(busy.stderr()).doesNotContain("\tat ");
    }
  }
}
