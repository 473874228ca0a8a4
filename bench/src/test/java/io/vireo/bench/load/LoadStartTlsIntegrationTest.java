package io.vireo.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.bench.sink.SinkOptions;
import io.vireo.bench.sink.SmtpSink;
import io.vireo.config.ConfigLoader;
import io.vireo.relay.app.Relay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/bench load --starttls} against the real relay (in this JVM) presenting a certificate
 * made by openssl, delivering to the counting sink: every message goes through STARTTLS, and the
 * relay's {@code Received:} header, as the sink sees it, says TLS 1.3.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LoadStartTlsIntegrationTest {
  @TempDir static Path certificates;
  private static SelfSignedPem pem;

  @TempDir Path dir;
  private SmtpSink sink;
  private Relay relay;

  @BeforeAll
  static void makeCertificate() throws Exception {
    pem = SelfSignedPem.generate(certificates, "relay.vireo-bench.test");
  }

  @BeforeEach
  void start() throws Exception {
    sink = new SmtpSink(SinkOptions.loopbackEphemeral().withRetainLastMessage(true)).start();
    String yaml =
        """
        hostname: relay.vireo-bench.test
        listen:
          smtp: 127.0.0.1:0
          admin: 127.0.0.1:0
        spool:
          dir: "%s"
        tls:
          cert-file: "%s"
          key-file: "%s"
        delivery:
          routes:
            - { domains: ["*"], via: "127.0.0.1:%d", tls: none }
        """
            .formatted(dir.resolve("spool"), pem.certFile(), pem.keyFile(), sink.port());
    relay = Relay.start(ConfigLoader.parse(yaml, "bench-tls.yaml"));
  }

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.close();
    }
    sink.close();
  }

  private LoadOptions.Builder overStartTls() {
    return LoadOptions.builder()
        .port(relay.smtpAddresses().getFirst().getPort())
        .replyTimeout(Duration.ofSeconds(10))
        .starttls(true);
  }

  @Test
  void reusedConnectionsShakeHandsOnceAndCarryEveryMessageOverTls() throws Exception {
    LoadOptions options =
        overStartTls().connections(4).messages(120).warmup(20).pipelining(true).build();

    LoadReport report = new LoadGenerator(options).run();

    assertThat(report.failures()).isEmpty();
    assertThat(report.accepted()).isEqualTo(120);
    // One connection, so one handshake, per worker for all 140 messages.
    assertThat(report.connectionsOpened()).isEqualTo(4);
    assertThat(sink.awaitMessages(140, Duration.ofSeconds(60))).isTrue();
    assertThat(sink.lastMessage().orElseThrow().contentAsString())
        .contains("(using TLSv1.3 with cipher TLS_")
        .contains("with ESMTPS id");
  }

  @Test
  void aNewConnectionPerMessageShakesHandsForEach() throws Exception {
    LoadOptions options = overStartTls().connections(3).messages(30).reuseConnections(false).build();

    LoadReport report = new LoadGenerator(options).run();

    assertThat(report.failures()).isEmpty();
    assertThat(report.accepted()).isEqualTo(30);
    assertThat(report.connectionsOpened()).isEqualTo(30);
    assertThat(sink.awaitMessages(30, Duration.ofSeconds(60))).isTrue();
    assertThat(sink.lastMessage().orElseThrow().contentAsString()).contains("using TLSv1.3");
  }

  @Test
  void aServerWithoutStartTlsFailsEveryMessageAsTlsAndGetsNoMail() throws Exception {
    // The counting sink offers no STARTTLS: the load tool must not fall back to plaintext.
    LoadOptions options =
        LoadOptions.builder()
            .port(sink.port())
            .replyTimeout(Duration.ofSeconds(10))
            .starttls(true)
            .connections(2)
            .messages(6)
            .build();

    LoadReport report = new LoadGenerator(options).run();

    assertThat(report.accepted()).isZero();
    assertThat(report.failures()).containsEntry("tls", 6L);
    assertThat(sink.messages()).isZero();
  }
}
