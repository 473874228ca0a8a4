package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.QueuedMessage;
import io.vireo.queue.Spool;
import io.vireo.queue.chronicle.ChronicleSpool;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM under load: several clients send continuously to a child relay process; after SIGTERM
 * every command a client sent got a reply (421 included), the relay exits 0, and every message
 * that got its 250 is in the spool after the restart, exactly once.
 */
class DrainIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int CLIENTS = 6;
  private static final int MAX_MESSAGES_PER_CLIENT = 5_000;
  private static final Pattern QUEUED = Pattern.compile("queued as ([0-9A-Z]{20})");

  @TempDir Path dir;

  /** What one client saw: the ids acknowledged, and how it ended. */
  static final class ClientRun {
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    volatile String ending = "running";
    volatile String failure;
  }

  @Test
  void sigtermDrainsEveryClientGetsItsRepliesAndNoAcknowledgedMessageIsLost() throws Exception {
    Path config = dir.resolve("vireo.yaml");
    Files.writeString(
        config, TestRelays.yaml(dir.resolve("spool"), "shutdown:\n  grace: 20s\n"));
    List<ClientRun> runs = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    AtomicInteger acknowledged = new AtomicInteger();
    try (RelayProcess relay = RelayProcess.serve(config)) {
      int port = relay.awaitReady(WAIT);
      for (int i = 0; i < CLIENTS; i++) {
        ClientRun run = new ClientRun();
        runs.add(run);
        int client = i;
        threads.add(
            Thread.ofVirtual()
                .name("load-" + i)
                .start(() -> sendUntilStopped(port, client, run, acknowledged)));
      }
      Await.until(
          "200 messages acknowledged, or a client failing",
          WAIT,
          () ->
              acknowledged.get() >= 200
                  || runs.stream().anyMatch(r -> r.failure != null || !r.ending.equals("running")));
      assertThat(runs)
          .allSatisfy(r -> assertThat(r.failure).isNull())
          .allSatisfy(r -> assertThat(r.ending).isEqualTo("running"));
      relay.signal("TERM");
      assertThat(relay.awaitExit(WAIT)).as(relay.log()).isZero();
      assertThat(relay.log()).contains("SIGTERM received: draining").contains("vireo stopped");
    }
    for (Thread thread : threads) {
      assertThat(thread.join(WAIT)).as("client %s ended", thread.getName()).isTrue();
    }
    Map<String, Integer> endings = new HashMap<>();
    for (ClientRun run : runs) {
      assertThat(run.failure).as("a client was left without a reply").isNull();
      endings.merge(run.ending, 1, Integer::sum);
    }
    Set<String> sent = ConcurrentHashMap.newKeySet();
    runs.forEach(run -> sent.addAll(run.acknowledged));
    assertThat(sent).hasSizeGreaterThanOrEqualTo(200);

    // Restart: the relay comes back with every acknowledged message queued.
    try (RelayProcess again = RelayProcess.serve(config)) {
      again.awaitReady(WAIT);
      again.awaitLog("delivery started: ", WAIT);
      again.signal("TERM");
      assertThat(again.awaitExit(WAIT)).isZero();
    }
    try (Spool spool = ChronicleSpool.openReadOnly(dir.resolve("spool"))) {
      List<String> ids = spool.pending().stream().map(QueuedMessage::id).map(String::valueOf).toList();
      assertThat(ids).doesNotHaveDuplicates();
      assertThat(ids).containsAll(sent);
      // Messages whose 250 a client never read (cut by the drain) may be there too, but no more.
      assertThat(ids.size()).isLessThanOrEqualTo(sent.size() + CLIENTS);
    }
    assertThat(endings.keySet()).as("endings %s", endings).allMatch(e -> e.startsWith("421") || e.equals("refused"));
  }

  @Test
  void readinessGoesAtOnceAMessageInDataFinishesAndAnIdleSessionGets421() throws Exception {
    Relay relay =
        Relay.start(
            io.vireo.config.ConfigLoader.parse(
                TestRelays.yaml(dir.resolve("spool"), "shutdown:\n  grace: 30s\n"), "t.yaml"));
    Thread closing = null;
    try {
      int port = TestRelays.smtpPort(relay);
      AdminClient admin = new AdminClient(relay.adminAddress());
      try (SmtpTestClient inData = SmtpTestClient.greeted("127.0.0.1", port);
          SmtpTestClient idle = SmtpTestClient.greeted("127.0.0.1", port)) {
        idle.ehlo("idle.test");
        inData.ehlo("busy.test");
        inData.command("MAIL FROM:<a@sender.test>", 250);
        inData.command("RCPT TO:<b@dest.test>", 250);
        inData.command("DATA", 354);
        inData.send("Subject: in flight");
        closing = Thread.ofPlatform().name("closing").start(relay::close);
        Await.until("/readyz answers 503", WAIT, () -> admin.readyStatus() == 503);
        assertThat(idle.read().raw()).startsWith("421 4.3.2");
        inData.send("");
        inData.send("the rest of the message");
        String queued = inData.command(".", 250).raw();
        assertThat(queued).contains("queued as");
        assertThat(inData.read().raw()).startsWith("421 4.3.2");
      }
      assertThat(closing.join(WAIT)).isTrue();
      try (Spool spool = ChronicleSpool.openReadOnly(dir.resolve("spool"))) {
        assertThat(spool.pending()).hasSize(1);
      }
    } finally {
      relay.close();
    }
  }

  /** Sends messages one after another on one connection until the relay says 421 or refuses. */
  private static void sendUntilStopped(
      int port, int client, ClientRun run, AtomicInteger acknowledged) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(30_000);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      if (!step(in, out, null, run, "220")) {
        return;
      }
      if (!step(in, out, "EHLO load" + client + ".test", run, "250")) {
        return;
      }
      for (int n = 0; n < MAX_MESSAGES_PER_CLIENT; n++) {
        if (!step(in, out, "MAIL FROM:<load" + client + "@sender.test>", run, "250")
            || !step(in, out, "RCPT TO:<user" + n + "@dest.test>", run, "250")
            || !step(in, out, "DATA", run, "354")) {
          return;
        }
        String body =
            "Subject: load " + client + "/" + n + "\r\n\r\n" + ("x".repeat(98) + "\r\n").repeat(20) + ".";
        String reply = exchange(in, out, body, run);
        if (reply == null) {
          return;
        }
        Matcher queued = QUEUED.matcher(reply);
        if (reply.startsWith("250") && queued.find()) {
          run.acknowledged.add(queued.group(1));
          acknowledged.incrementAndGet();
        } else {
          if (!reply.startsWith("421")) {
            run.failure = "unexpected reply to the end of DATA: " + reply;
          }
          return;
        }
      }
      run.ending = "limit reached";
    } catch (ConnectException e) {
      run.ending = "refused";
    } catch (IOException e) {
      run.failure = "connection failed before a reply: " + e;
    }
  }

  /** Sends a command and checks its reply; a 421 ends the run as expected, anything else fails. */
  private static boolean step(
      InputStream in, OutputStream out, String command, ClientRun run, String expected) {
    String reply = exchange(in, out, command, run);
    if (reply == null) {
      return false;
    }
    if (reply.startsWith(expected)) {
      return true;
    }
    if (reply.startsWith("421")) {
      run.ending = reply;
    } else {
      run.failure = "unexpected reply to " + command + ": " + reply;
    }
    return false;
  }

  /**
   * One command and its reply. A write that fails because the relay already closed after its 421
   * still reads that 421; a connection that ends with no reply at all is the failure this test is
   * about.
   */
  private static String exchange(InputStream in, OutputStream out, String command, ClientRun run) {
    try {
      if (command != null) {
        try {
          out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
        } catch (IOException writeFailed) {
          // Fall through: the 421 sent before the close may be waiting to be read.
        }
      }
      String reply = readReply(in);
      if (reply == null) {
        run.failure = "no reply to " + firstLine(command) + " before the connection closed";
      }
      if (reply != null && reply.startsWith("421")) {
        run.ending = reply.substring(0, Math.min(9, reply.length()));
        return reply;
      }
      return reply;
    } catch (IOException e) {
      run.failure = "no reply to " + firstLine(command) + ": " + e;
      return null;
    }
  }

  private static String firstLine(String command) {
    return command == null ? "(greeting)" : command.lines().findFirst().orElse("");
  }

  private static String readReply(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    String line;
    do {
      line = readLine(in);
      if (line == null) {
        return null;
      }
      lines.add(line);
    } while (line.length() > 3 && line.charAt(3) == '-');
    return String.join("\n", lines);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    int previous = -1;
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (previous == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.US_ASCII);
      }
      line.write(b);
      previous = b;
    }
    return null;
  }
}
