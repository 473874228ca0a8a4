package io.vireo.relay.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.relay.testing.LoopbackDnsServer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link MxResolver#stats()}: cache hits and misses as the admin server publishes them. */
class ResolverStatsTest {
  @Test
  void aRepeatedLookupIsACacheHitForBothCaches() throws Exception {
    try (LoopbackDnsServer dns = new LoopbackDnsServer()) {
      dns.mx("example.test", 10, "mx.example.test", 300).a("mx.example.test", "127.0.0.9", 300);
      MxResolver resolver =
          new MxResolver(
              List.of(dns.address()),
              new ManualTicker(),
              new Random(1),
              MxResolverOptions.defaults().withQueryTimeout(Duration.ofMillis(500)));

      assertThat(resolver.resolve("example.test")).isInstanceOf(MxLookup.Resolved.class);
      ResolverStats first = resolver.stats();
      assertThat(resolver.resolve("example.test")).isInstanceOf(MxLookup.Resolved.class);
      ResolverStats second = resolver.stats();

      assertThat(first.mxMisses()).isEqualTo(1);
      assertThat(first.mxHits()).isZero();
      assertThat(first.addressMisses()).isPositive();
      assertThat(second.mxMisses()).isEqualTo(1);
      assertThat(second.mxHits()).isEqualTo(1);
      assertThat(second.addressMisses()).isEqualTo(first.addressMisses());
      assertThat(second.addressHits()).isPositive();
      assertThat(second.mxEntries()).isEqualTo(1);
    }
  }
}
