package io.vireo.bench.idle;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.bench.sink.SinkOptions;
import io.vireo.bench.sink.SmtpSink;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdleFleetTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static IdleOptions options(int port, int connections, List<InetAddress> sources) {
    return new IdleOptions(
        "127.0.0.1",
        port,
        connections,
        RampRate.UNLIMITED,
        Duration.ofSeconds(10),
        "idle.test",
        sources);
  }

  private static void awaitCondition(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("condition within %s", WAIT).isNegative();
      Thread.sleep(10);
    }
  }

  @Test
  void holdsTwoHundredSessionsOpenPastEhloUntilClosed() throws Exception {
    try (SmtpSink sink = new SmtpSink(SinkOptions.loopbackEphemeral()).start()) {
      IdleFleet fleet = new IdleFleet(options(sink.port(), 200, List.of())).start();
      try {
        assertThat(fleet.awaitSettled(WAIT)).isTrue();
        IdleSnapshot snapshot = fleet.snapshot();
        assertThat(snapshot.opened()).isEqualTo(200);
        assertThat(snapshot.failed()).isZero();
        assertThat(snapshot.open()).isEqualTo(200);
        assertThat(sink.snapshot().connectionsOpen()).isEqualTo(200);
        assertThat(sink.messages()).isZero();
      } finally {
        fleet.close();
      }
      assertThat(fleet.snapshot().dropped()).isZero();
      awaitCondition(() -> sink.snapshot().connectionsOpen() == 0);
    }
  }

  @Test
  void spreadsSessionsOverTheGivenSourceAddresses() throws Exception {
    List<InetAddress> sources =
        List.of(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.3"));
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Thread.ofVirtual().start(() -> greetAndAnswerEhlo(server, 4));
      IdleFleet fleet = new IdleFleet(options(server.getLocalPort(), 4, sources)).start();
      try {
        assertThat(fleet.awaitSettled(WAIT)).isTrue();
        assertThat(fleet.snapshot().opened()).isEqualTo(4);
      } finally {
        fleet.close();
      }
    }
    assertThat(peers).containsExactlyInAnyOrder("127.0.0.2", "127.0.0.3", "127.0.0.2", "127.0.0.3");
  }

  private final List<String> peers = new java.util.concurrent.CopyOnWriteArrayList<>();

  private void greetAndAnswerEhlo(ServerSocket server, int sessions) {
    for (int i = 0; i < sessions; i++) {
      try {
        Socket socket = server.accept();
        peers.add(socket.getInetAddress().getHostAddress());
        OutputStream out = socket.getOutputStream();
        out.write("220 test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.getInputStream().readNBytes("EHLO idle.test\r\n".length());
        out.write("250-test\r\n250 PIPELINING\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (java.io.IOException e) {
        return;
      }
    }
  }

  @Test
  void countsARefusedGreetingAsAFailureByItsCode() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Thread.ofVirtual()
          .start(
              () -> {
                try (Socket socket = server.accept()) {
                  socket
                      .getOutputStream()
                      .write("421 4.3.2 too many connections\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (java.io.IOException e) {
                  // The assertion below reports what the client saw.
                }
              });
      IdleFleet fleet = new IdleFleet(options(server.getLocalPort(), 1, List.of())).start();
      try {
        assertThat(fleet.awaitSettled(WAIT)).isTrue();
        assertThat(fleet.snapshot().failures()).containsEntry("421", 1L);
        assertThat(fleet.snapshot().failuresText()).isEqualTo("421=1");
      } finally {
        fleet.close();
      }
    }
  }

  @Test
  void countsASessionTheServerEndsWhileHeldAsDropped() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Thread.ofVirtual()
          .start(
              () -> {
                try (Socket socket = server.accept()) {
                  OutputStream out = socket.getOutputStream();
                  out.write("220 test\r\n".getBytes(StandardCharsets.US_ASCII));
                  socket.getInputStream().readNBytes("EHLO idle.test\r\n".length());
                  out.write("250 test\r\n".getBytes(StandardCharsets.US_ASCII));
                  out.write("421 4.4.2 idle too long\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (java.io.IOException e) {
                  // The assertion below reports what the client saw.
                }
              });
      IdleFleet fleet = new IdleFleet(options(server.getLocalPort(), 1, List.of())).start();
      try {
        assertThat(fleet.awaitSettled(WAIT)).isTrue();
        awaitCondition(() -> fleet.snapshot().dropped() == 1);
        assertThat(fleet.snapshot().open()).isZero();
      } finally {
        fleet.close();
      }
    }
  }
}
