package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.mailbox.testing.ExternalTool;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.ScriptedSmtpServer;
import io.vireo.relay.testing.SmtpTestClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two relays (child JVMs) behind a real HAProxy on loopback, which sends each a PROXY protocol
 * header (v2 with {@code send-proxy-v2}, v1 with {@code send-proxy}); the client connects from
 * 127.0.0.77, HAProxy reaches the relays from 127.0.0.1, and only 127.0.0.1 is in {@code
 * listen.proxy-from}. Both relays take their share, deliver it to one receiving server, and know
 * the client as 127.0.0.77. A relay stopped with SIGTERM leaves HAProxy's rotation (its port closes and
 * its /readyz check fails) and loses no acknowledged message.
 */
class HaproxyFrontIntegrationTest {
  private static final InetAddress CLIENT = InetAddress.ofLiteral("127.0.0.77");
  private static final Duration START = Duration.ofSeconds(60);
  private static final Pattern ACCEPTED = Pattern.compile(" client=\\[([^\\]]+)\\]");

  @TempDir Path dir;

  private final List<AutoCloseable> running = new CopyOnWriteArrayList<>();
  private Node first;
  private Node second;
  private int port;
  private ScriptedSmtpServer receiver;
  private Process haproxy;
  private final ConcurrentLinkedQueue<String> haproxyLog = new ConcurrentLinkedQueue<>();

  @AfterEach
  void stopAll() throws Exception {
    if (haproxy != null) {
      haproxy.destroy();
      haproxy.waitFor();
    }
    for (AutoCloseable closeable : running.reversed()) {
      closeable.close();
    }
  }

  /** A relay that delivers everything to the receiver and trusts PROXY headers from 127.0.0.1. */
  private record Node(Path config, RelayProcess process, int smtpPort, int adminPort) {}

  private Node startNode(String name) throws Exception {
    Path config = dir.resolve(name + ".yaml");
    Files.writeString(
        config,
        """
        hostname: %s.relay.test
        listen:
          smtp: 127.0.0.1:0
          admin: 127.0.0.1:0
          proxy-from: [127.0.0.1/32]
        spool:
          dir: "%s"
          sync: group
        delivery:
          routes:
            - { domains: ["*"], via: "127.0.0.1:%d", tls: none }
        """
            .formatted(name, dir.resolve(name + "-spool").toAbsolutePath(), receiver.port()));
    return launch(config);
  }

  private Node launch(Path config) throws Exception {
    RelayProcess process = RelayProcess.serve(config);
    running.add(process);
    int port = process.awaitReady(START);
    return new Node(config, process, port, process.adminAddress().getPort());
  }

  private int startHaproxy(String sendProxy, Node... nodes) throws Exception {
    Path haproxyBinary = ExternalTool.require("haproxy", "haproxy");
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    StringBuilder servers = new StringBuilder();
    for (int i = 0; i < nodes.length; i++) {
      servers.append(
          "    server node%d 127.0.0.1:%d port %d\n"
              .formatted(i + 1, nodes[i].smtpPort(), nodes[i].adminPort()));
    }
    Path cfg = dir.resolve("haproxy.cfg");
    Files.writeString(
        cfg,
        """
        global
            log stdout format raw local0 info
            maxconn 256
        defaults
            mode tcp
            log global
            option tcplog
            timeout connect 2s
            timeout client 30s
            timeout server 30s
            # Frequent checks, but tolerant of a slow answer on a busy 2-core machine: a node marked
            # down by late replies would leave HAProxy with nowhere to send the client (2 s was seen
            # to mark both nodes down at a load average of 28). A drained node's 503 is fast.
            timeout check 10s
            # A node whose port has closed (drained) is skipped: retry on another one.
            retries 3
            option redispatch 1
        frontend smtp
            bind 127.0.0.1:%d
            default_backend vireo
        backend vireo
            balance roundrobin
            option httpchk
            http-check send meth GET uri /readyz
            http-check expect status 200
            default-server %s check inter 300ms fall 2 rise 1
        %s"""
            .formatted(port, sendProxy, servers));
    haproxy =
        new ProcessBuilder(haproxyBinary.toString(), "-db", "-f", cfg.toString())
            .redirectErrorStream(true)
            .start();
    Thread.ofVirtual().start(() -> drain(haproxy, haproxyLog));
    InetSocketAddress front = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    Await.until(
        "HAProxy forwards SMTP on port " + port + "\n" + String.join("\n", haproxyLog),
        Duration.ofSeconds(20),
        () -> greets(front));
    return port;
  }

  private static void drain(Process process, ConcurrentLinkedQueue<String> into) {
    try (var reader = process.inputReader(StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        into.add(line);
      }
    } catch (IOException e) {
      // HAProxy stopped.
    }
  }

  private static boolean greets(InetSocketAddress front) {
    try (SmtpTestClient c = SmtpTestClient.greeted(front, CLIENT)) {
      c.command("QUIT", 221);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Sends one message from 127.0.0.77 through HAProxy; false if it was not acknowledged. */
  private static boolean send(int port, String subject) {
    InetSocketAddress front = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    try (SmtpTestClient c = SmtpTestClient.greeted(front, CLIENT)) {
      c.ehlo("client.test");
      c.sendMessage(
          "sender@client.test",
          List.of("rcpt@dest.example"),
          "Subject: " + subject + "\r\n\r\nThrough HAProxy.\r\n");
      return true;
    } catch (IOException | AssertionError e) {
      return false;
    }
  }

  private String logs() {
    return "node1:\n"
        + first.process().log()
        + "\nnode2:\n"
        + second.process().log()
        + "\nhaproxy:\n"
        + String.join("\n", haproxyLog);
  }

  /** The client addresses of the messages a node logged as accepted. */
  private static List<String> acceptedClients(RelayProcess node) {
    return node.log()
        .lines()
        .map(ACCEPTED::matcher)
        .filter(Matcher::find)
        .map(m -> m.group(1))
        .toList();
  }

  private Set<String> deliveredSubjects() {
    return receiver.messages().stream()
        .map(ScriptedSmtpServer.ReceivedMessage::dataAsString)
        .map(data -> data.lines().filter(l -> l.startsWith("Subject: ")).findFirst().orElse(""))
        .map(line -> line.substring("Subject: ".length()))
        .collect(Collectors.toSet());
  }

  private void bothNodesTakeTheirShare(String sendProxy) throws Exception {
    receiver = ScriptedSmtpServer.start();
    running.add(receiver);
    first = startNode("node1");
    second = startNode("node2");
    port = startHaproxy(sendProxy, first, second);

    for (int i = 0; i < 10; i++) {
      String subject = "share-" + i;
      assertThat(send(port, subject)).as(() -> subject + " acknowledged\n" + logs()).isTrue();
    }
    receiver.awaitMessages(10, Duration.ofSeconds(30));
    // A node logs a message just after its 250, and the test reads that log from a pipe.
    Await.until(
        "the nodes logged the 10 messages",
        Duration.ofSeconds(10),
        () ->
            acceptedClients(first.process()).size() + acceptedClients(second.process()).size()
                >= 10);

    List<String> firstClients = acceptedClients(first.process());
    List<String> secondClients = acceptedClients(second.process());
    assertThat(firstClients.size() + secondClients.size()).isEqualTo(10);
    // Round robin over two healthy nodes: both get a share (the greeting probes shift it by one).
    assertThat(firstClients).hasSizeBetween(4, 6).containsOnly("127.0.0.77");
    assertThat(secondClients).hasSizeBetween(4, 6).containsOnly("127.0.0.77");
    assertThat(receiver.messages())
        .hasSize(10)
        .allSatisfy(
            m ->
                assertThat(m.dataAsString())
                    .containsPattern(
                        "Received: from client\\.test \\(\\[127\\.0\\.0\\.77\\]\\)\r\n"
                            + "\tby node[12]\\.relay\\.test")
                    .doesNotContain("[127.0.0.1]"));
  }

  @Test
  void proxyV1BothNodesShareTheLoad() throws Exception {
    bothNodesTakeTheirShare("send-proxy");
  }

  @Test
  void proxyV2BothNodesShareTheLoadAndADrainedNodeLosesNothing() throws Exception {
    bothNodesTakeTheirShare("send-proxy-v2");

    List<String> acked = new CopyOnWriteArrayList<>();
    AtomicInteger unacknowledged = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    Thread sender =
        Thread.ofVirtual()
            .name("sender")
            .start(
                () -> {
                  for (int i = 0; i < 1000 && !stop.get(); i++) {
                    if (send(port, "drain-" + i)) {
                      acked.add("drain-" + i);
                    } else {
                      unacknowledged.incrementAndGet();
                    }
                  }
                });
    Await.until("5 messages before the drain", Duration.ofSeconds(30), () -> acked.size() >= 5);

    first.process().terminate(Duration.ofSeconds(60));
    int ackedAtExit = acked.size();
    Await.until(
        "20 more messages after the drain",
        Duration.ofSeconds(60),
        () -> acked.size() >= ackedAtExit + 20 || !sender.isAlive());
    stop.set(true);
    assertThat(sender.join(Duration.ofSeconds(30))).isTrue();

    assertThat(acked.size())
        .as("acknowledged after the drain")
        .isGreaterThanOrEqualTo(ackedAtExit + 20);
    Await.until(
        "HAProxy takes node1 out of rotation",
        Duration.ofSeconds(10),
        () -> haproxyLog.stream().anyMatch(line -> line.contains("vireo/node1 is DOWN")));
    // Every acknowledgement came from one of the nodes; after node1 exited, all from node2.
    int expectedTotal = 10 + acked.size();
    Await.until(
        "the nodes logged all " + expectedTotal + " acknowledged messages",
        Duration.ofSeconds(10),
        () ->
            acceptedClients(first.process()).size() + acceptedClients(second.process()).size()
                >= expectedTotal);
    Await.until(
        "node1's log ends with its clean stop",
        Duration.ofSeconds(10),
        () -> first.process().log().contains("vireo stopped"));
    assertThat(acceptedClients(second.process())).containsOnly("127.0.0.77");

    // Nothing acknowledged is lost: what node1 had not delivered when it stopped is in its spool,
    // and goes out once it runs again.
    launch(first.config());
    List<String> expected = acked;
    Await.until(
        "every acknowledged message at the receiver",
        Duration.ofSeconds(60),
        () -> deliveredSubjects().containsAll(expected));
    assertThat(unacknowledged.get())
        .as("attempts that got no 250 (cut by the drain) and were simply not counted")
        .isLessThan(20);
  }
}
