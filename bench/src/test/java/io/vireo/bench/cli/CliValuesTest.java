package io.vireo.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CliValuesTest {

  @Test
  void byteSizesUseBinaryMultiples() {
    assertThat(ByteSizes.parse("4096")).isEqualTo(4096);
    assertThat(ByteSizes.parse("4KB")).isEqualTo(4096);
    assertThat(ByteSizes.parse("4k")).isEqualTo(4096);
    assertThat(ByteSizes.parse("1MB")).isEqualTo(1 << 20);
    assertThat(ByteSizes.parse("2MiB")).isEqualTo(2 << 20);
    assertThat(ByteSizes.parse("1 GB")).isEqualTo(1L << 30);
  }

  @Test
  void malformedByteSizesAreRejected() {
    assertThatThrownBy(() -> ByteSizes.parse("KB")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ByteSizes.parse("4TB")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ByteSizes.parse("-4")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void durationsNeedAUnit() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("PT2S")).isEqualTo(Duration.ofSeconds(2));
    assertThatThrownBy(() -> Durations.parse("30"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unit");
    assertThatThrownBy(() -> Durations.parse("3 weeks")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hostPortsDefaultToLoopbackAndAcceptBracketedIpv6() {
    assertThat(HostPorts.parse("127.0.0.1:2526")).isEqualTo(new InetSocketAddress("127.0.0.1", 2526));
    assertThat(HostPorts.parse("2526")).isEqualTo(new InetSocketAddress("127.0.0.1", 2526));
    assertThat(HostPorts.parse("[::1]:25")).isEqualTo(new InetSocketAddress("::1", 25));
    assertThatThrownBy(() -> HostPorts.parse("127.0.0.1:99999"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HostPorts.parse("[::1]25")).isInstanceOf(IllegalArgumentException.class);
  }
}
