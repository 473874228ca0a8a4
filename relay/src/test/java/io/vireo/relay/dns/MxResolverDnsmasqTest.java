package io.vireo.relay.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.vireo.relay.testing.Dnsmasq;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MxResolver} against a real dnsmasq ({@link Dnsmasq}) on 127.0.0.1, which answers a missing MX with an empty
 * answer section rather than the SOA-bearing NODATA of RFC 2308. Requires dnsmasq: in CI (env
 * {@code CI=true}) its absence fails the test, elsewhere the test is skipped.
 */
class MxResolverDnsmasqTest {

  private static Dnsmasq dnsmasq;

  @BeforeAll
  static void startDnsmasq(@TempDir Path dir) throws Exception {
    dnsmasq =
        Dnsmasq.start(
            dir,
            List.of(
                Dnsmasq.mx("example.test", "mx1.example.test", 10),
                Dnsmasq.mx("example.test", "mx2.example.test", 20),
                Dnsmasq.host("mx1.example.test", "127.0.0.3"),
                Dnsmasq.host("mx2.example.test", "127.0.0.4"),
                Dnsmasq.host("plain.test", "127.0.0.5"),
                Dnsmasq.txt("txtonly.test", "no mail here"),
                Dnsmasq.nullMx("nullmx.test")));
  }

  @AfterAll
  static void stopDnsmasq() {
    if (dnsmasq != null) {
      dnsmasq.close();
    }
  }

  private static MxResolver resolver() {
    return new MxResolver(
        List.of(dnsmasq.address()), Duration.ofSeconds(2), Ticker.systemTicker(), 1_000);
  }

  @Test
  void resolvesMxRecordsThenTheHostsAddresses() throws Exception {
    assertThat(resolver().resolve("example.test"))
        .isEqualTo(
            new MxLookup.Resolved(
                "example.test",
                List.of(
                    new MxHost("mx1.example.test", 10, List.of(InetAddress.getByName("127.0.0.3"))),
                    new MxHost(
                        "mx2.example.test", 20, List.of(InetAddress.getByName("127.0.0.4"))))));
  }

  @Test
  void usesTheAddressRecordAsImplicitMxWhenThereIsNoMx() throws Exception {
    assertThat(resolver().resolve("plain.test"))
        .isEqualTo(
            new MxLookup.Resolved(
                "plain.test",
                List.of(new MxHost("plain.test", 0, List.of(InetAddress.getByName("127.0.0.5"))))));
  }

  @Test
  void reportsNullMx() {
    assertThat(resolver().resolve("nullmx.test")).isEqualTo(new MxLookup.NullMx("nullmx.test"));
  }

  @Test
  void reportsNoSuchDomainForAnUnknownName() {
    assertThat(resolver().resolve("nothing.test"))
        .isEqualTo(new MxLookup.NoSuchDomain("nothing.test"));
  }

  @Test
  void reportsNoDataForANameWithoutMxOrAddress() {
    assertThat(resolver().resolve("txtonly.test")).isInstanceOf(MxLookup.NoData.class);
  }
}
