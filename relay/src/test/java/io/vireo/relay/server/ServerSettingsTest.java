package io.vireo.relay.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.config.Cidr;
import io.vireo.config.DeliveryConfig;
import io.vireo.config.DnsConfig;
import io.vireo.config.HostPort;
import io.vireo.config.LimitsConfig;
import io.vireo.config.ListenConfig;
import io.vireo.config.NulPolicy;
import io.vireo.config.RelayConfig;
import io.vireo.config.RetryConfig;
import io.vireo.config.SenderLimits;
import io.vireo.config.SpoolConfig;
import io.vireo.config.SyncPolicy;
import io.vireo.config.VireoConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSettingsTest {
  private static final LimitsConfig LIMITS =
      new LimitsConfig(
          1000,
          10,
          100,
          10,
          Duration.ofMinutes(5),
          Duration.ofMinutes(10),
          10,
          NulPolicy.REJECT,
          SenderLimits.DEFAULTS);
  private static final RelayConfig RELAY =
      new RelayConfig(List.of(Cidr.parse("127.0.0.0/8")), List.of());
  private static final List<InetSocketAddress> LOOPBACK =
      List.of(new InetSocketAddress("127.0.0.1", 0));

  @Test
  void fromConfigTakesHostnameListenAddressesLimitsAndRelay() {
    VireoConfig config =
        new VireoConfig(
            "mx.example",
            new ListenConfig(
                List.of(new HostPort("127.0.0.1", 2525), new HostPort("::1", 2526)),
                new HostPort("127.0.0.1", 8025)),
            new SpoolConfig(Path.of("spool"), SyncPolicy.GROUP),
            LIMITS,
            RELAY,
            new DeliveryConfig(
                25,
                new DnsConfig(List.of()),
                List.of(),
                new RetryConfig(List.of(Duration.ofMinutes(1)), Duration.ofDays(5))));
    ServerSettings settings = ServerSettings.from(config);
    assertThat(settings.hostname()).isEqualTo("mx.example");
    assertThat(settings.listen())
        .containsExactly(
            new InetSocketAddress("127.0.0.1", 2525), new InetSocketAddress("::1", 2526));
    assertThat(settings.limits()).isSameAs(LIMITS);
    assertThat(settings.relay()).isSameAs(RELAY);
    assertThat(settings.greetingDelay()).isZero();
  }

  @Test
  void fromConfigTakesTheImplicitTlsAddressesApart() throws Exception {
    VireoConfig config =
        io.vireo.config.ConfigLoader.parse(
            """
            listen:
              smtp: 127.0.0.1:2525
              smtps: ["127.0.0.1:4650", "[::1]:4651"]
            tls: { cert-file: c.pem, key-file: k.pem }
            """,
            "test.yaml");
    ServerSettings settings = ServerSettings.from(config);
    assertThat(settings.listen()).containsExactly(new InetSocketAddress("127.0.0.1", 2525));
    assertThat(settings.listenImplicitTls())
        .containsExactly(
            new InetSocketAddress("127.0.0.1", 4650), new InetSocketAddress("::1", 4651));
    assertThatThrownBy(
            () ->
                new SmtpServer(
                    settings,
                    ServerSecurity.NONE,
                    new RecordingSpool(),
                    new io.vireo.queue.MessageIdGenerator(java.time.Clock.systemUTC()),
                    java.time.Clock.systemUTC(),
                    envelope -> {}))
        .hasMessageContaining("implicit-TLS listeners need a TLS context");
  }

  @Test
  void hostnameMustBeOnePrintableToken() {
    assertThatThrownBy(() -> new ServerSettings("mx example", LOOPBACK, LIMITS, RELAY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ServerSettings("mx\r\n250 forged", LOOPBACK, LIMITS, RELAY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void needsAListenAddress() {
    assertThatThrownBy(() -> new ServerSettings("mx.test", List.of(), LIMITS, RELAY))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
