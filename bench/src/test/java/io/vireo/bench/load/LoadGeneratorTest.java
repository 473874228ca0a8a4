package io.vireo.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.bench.sink.ReceivedMessage;
import io.vireo.bench.sink.SinkOptions;
import io.vireo.bench.sink.SmtpSink;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The load generator against the counting sink, both in-process on an ephemeral loopback port. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoadGeneratorTest {
  private SmtpSink sink;

  @BeforeEach
  void startSink() throws Exception {
    sink = new SmtpSink(SinkOptions.loopbackEphemeral().withRetainLastMessage(true)).start();
  }

  @AfterEach
  void closeSink() {
    sink.close();
  }

  private LoadOptions.Builder againstSink() {
    return LoadOptions.builder().port(sink.port()).replyTimeout(Duration.ofSeconds(5));
  }

  @ParameterizedTest
  @EnumSource(ThreadKind.class)
  void fourConnectionsDeliverExactlyTheRequestedMessagesPlusWarmup(ThreadKind threads)
      throws Exception {
    LoadOptions options =
        againstSink().connections(4).messages(200).size(4096).warmup(20).threads(threads).build();

    LoadReport report = new LoadGenerator(options).run();

    assertThat(report.attempted()).isEqualTo(200);
    assertThat(report.accepted()).isEqualTo(200);
    assertThat(report.failures()).isEmpty();
    assertThat(report.stoppedByDeadline()).isFalse();
    assertThat(report.endOfData().count()).isEqualTo(200);
    assertThat(report.endOfData().max()).isGreaterThanOrEqualTo(report.endOfData().p50());
    assertThat(report.total().count()).isEqualTo(200);
    assertThat(report.messagesPerSecond()).isPositive();
    assertThat(report.connectionsOpened()).isEqualTo(4);
    // Every 250 was sent after the sink counted the message, so the counts are already final.
    assertThat(sink.messages()).isEqualTo(220);
    assertThat(sink.snapshot().bytes()).isEqualTo(220L * 4096);
    assertThat(sink.connections()).isEqualTo(4);
  }

  @Test
  void newConnectionPerMessageOpensOneConnectionPerMessage() throws Exception {
    LoadOptions options =
        againstSink().connections(4).messages(60).reuseConnections(false).build();

    LoadReport report = new LoadGenerator(options).run();

    assertThat(report.accepted()).isEqualTo(60);
    assertThat(report.connectionsOpened()).isEqualTo(60);
    assertThat(sink.messages()).isEqualTo(60);
    assertThat(sink.connections()).isEqualTo(60);
  }

  @Test
  void fiveRecipientsPerMessageAreCountedFiveTimes() throws Exception {
    LoadOptions options = againstSink().connections(3).messages(40).recipients(5).build();

    LoadReport report = new LoadGenerator(options).run();

    assertThat(report.accepted()).isEqualTo(40);
    assertThat(sink.recipients()).isEqualTo(200);
    assertThat(sink.lastMessage().orElseThrow().recipients())
        .containsExactly(
            "u1@example.test", "u2@example.test", "u3@example.test", "u4@example.test",
            "u5@example.test");
  }

  @Test
  void pipeliningSendsTheEnvelopeInOneWriteAndStillGetsEveryMessageThrough() throws Exception {
    LoadOptions options =
        againstSink().connections(4).messages(100).recipients(3).pipelining(true).build();

    LoadReport report = new LoadGenerator(options).run();

    assertThat(report.accepted()).isEqualTo(100);
    assertThat(report.failures()).isEmpty();
    assertThat(sink.messages()).isEqualTo(100);
    assertThat(sink.recipients()).isEqualTo(300);
  }

  @Test
  void bodyLinesStartingWithADotArriveIntact() throws Exception {
    LoadOptions options = againstSink().connections(1).messages(3).size(4096).build();

    new LoadGenerator(options).run();

    ReceivedMessage message = sink.lastMessage().orElseThrow();
    String content = message.contentAsString();
    assertThat(message.content()).hasSize(4096);
    assertThat(content).contains("\r\n" + MessageTemplate.DOT_LINE + "\r\n.\r\n");
    assertThat(content).contains("\r\nX-Vireo-Bench-Seq: 3\r\n").startsWith("Message-ID: <3.");
    assertThat(message.mailFrom()).isEqualTo("bench@vireo-bench.test");
  }

  @Test
  void aMixSendsItsShareOfMessagesAtTheOtherSize() throws Exception {
    LoadOptions options =
        againstSink().connections(2).messages(100).size(1024).mix(SizeMix.parse("16KB:10%")).build();

    LoadReport report = new LoadGenerator(options).run();

    assertThat(report.accepted()).isEqualTo(100);
    assertThat(sink.snapshot().bytes()).isEqualTo(90L * 1024 + 10L * 16 * 1024);
  }

  @Test
  void aServerThatIsNotListeningCountsConnectFailures() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    LoadOptions options = LoadOptions.builder().port(closedPort).connections(2).messages(10).build();

    LoadReport report = new LoadGenerator(options).run();

    assertThat(report.accepted()).isZero();
    assertThat(report.failures()).containsEntry("connect", 10L);
    assertThat(report.endOfData().count()).isZero();
  }

  @ParameterizedTest
  @EnumSource(ThreadKind.class)
  void aSilentServerTimesOutEachReplyAndTheDurationLimitEndsTheRun(ThreadKind threads)
      throws Exception {
    ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    List<Socket> held = new ArrayList<>();
    Thread acceptor =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    while (held.size() < 100) {
                      held.add(silent.accept());
                    }
                  } catch (IOException e) {
                    // closing the server socket ends the acceptor
                  }
                });
    try {
      LoadOptions options =
          LoadOptions.builder()
              .port(silent.getLocalPort())
              .connections(2)
              .messages(1_000)
              .replyTimeout(Duration.ofMillis(100))
              .durationLimit(Duration.ofMillis(700))
              .threads(threads)
              .build();
      long start = System.nanoTime();

      LoadReport report = new LoadGenerator(options).run();

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(report.stoppedByDeadline()).isTrue();
      assertThat(report.attempted()).isBetween(2L, 999L);
      assertThat(report.failures()).containsKey("timeout").doesNotContainKey("connect");
      assertThat(report.accepted()).isZero();
    } finally {
      silent.close();
      assertThat(acceptor.join(Duration.ofSeconds(5))).isTrue();
      for (Socket socket : held) {
        socket.close();
      }
    }
  }
}
