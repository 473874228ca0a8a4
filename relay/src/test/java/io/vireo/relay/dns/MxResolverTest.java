package io.vireo.relay.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.DnsConfig;
import io.vireo.config.HostPort;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.LoopbackDnsServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** {@link MxResolver} against an in-process DNS server on loopback, with time moved by hand. */
class MxResolverTest {

  private static final MxResolverOptions OPTIONS =
      MxResolverOptions.defaults()
          .withQueryTimeout(Duration.ofMillis(500))
          .withLookupTimeout(Duration.ofSeconds(3));

  private final ManualTicker ticker = new ManualTicker();
  private LoopbackDnsServer dns;

  @BeforeEach
  void startServer() throws Exception {
    dns = new LoopbackDnsServer();
  }

  @AfterEach
  void stopServer() throws Exception {
    dns.close();
    assertThat(dns.errors()).isEmpty();
  }

  private MxResolver resolver(MxResolverOptions options) {
    return new MxResolver(List.of(dns.address()), ticker, new Random(42), options);
  }

  private MxResolver resolver() {
    return resolver(OPTIONS);
  }

  // --- Which hosts, in which order (RFC 5321 section 5.1) ---

  @Test
  void ordersHostsByPreferenceAndShufflesEqualPreferences() {
    dns.mx("example.test", 20, "backup.example.test", 300)
        .mx("example.test", 10, "a.example.test", 300)
        .mx("example.test", 10, "b.example.test", 300)
        .mx("example.test", 10, "c.example.test", 300)
        .mx("example.test", 5, "first.example.test", 300)
        .a("backup.example.test", "127.0.0.20", 300)
        .a("a.example.test", "127.0.0.11", 300)
        .a("b.example.test", "127.0.0.12", 300)
        .a("c.example.test", "127.0.0.13", 300)
        .a("first.example.test", "127.0.0.5", 300);
    MxResolver resolver = resolver();

    Set<List<String>> equalPreferenceOrders = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      MxLookup.Resolved resolved = (MxLookup.Resolved) resolver.resolve("example.test");
      List<String> names = resolved.hosts().stream().map(MxHost::name).toList();
      assertThat(resolved.hosts())
          .extracting(MxHost::preference)
          .containsExactly(5, 10, 10, 10, 20);
      assertThat(names.getFirst()).isEqualTo("first.example.test");
      assertThat(names.getLast()).isEqualTo("backup.example.test");
      assertThat(names.subList(1, 4))
          .containsExactlyInAnyOrder("a.example.test", "b.example.test", "c.example.test");
      equalPreferenceOrders.add(names.subList(1, 4));
    }

    assertThat(equalPreferenceOrders)
        .as("orders seen among equal preferences")
        .hasSizeGreaterThan(1);
    assertThat(dns.queries("example.test", Type.MX)).isEqualTo(1);
    assertThat(dns.queries("a.example.test", Type.A)).isEqualTo(1);
  }

  @Test
  void looksUpAtMostSixteenMxHosts() {
    for (int i = 0; i < 20; i++) {
      dns.mx("many.test", i, "mx" + i + ".many.test", 300)
          .a("mx" + i + ".many.test", "127.0.1." + (i + 1), 300);
    }

    MxLookup.Resolved resolved = (MxLookup.Resolved) resolver().resolve("many.test");

    assertThat(resolved.hosts()).hasSize(MxResolver.MAX_EXCHANGERS);
    assertThat(resolved.hosts().getLast().name()).isEqualTo("mx15.many.test");
    assertThat(dns.queries("mx16.many.test", Type.A)).isZero();
  }

  @Test
  void givesEachHostItsAddressesIpv4First() throws Exception {
    dns.mx("dual.test", 10, "mx.dual.test", 300)
        .aaaa("mx.dual.test", "::1", 300)
        .a("mx.dual.test", "127.0.0.8", 300);

    MxLookup lookup = resolver().resolve("dual.test");

    assertThat(lookup)
        .isEqualTo(
            new MxLookup.Resolved(
                "dual.test",
                List.of(new MxHost("mx.dual.test", 10, List.of(ip("127.0.0.8"), ip("::1"))))));
  }

  @Test
  void usesTheDomainItselfAsImplicitMxWhenItHasNoMxRecords() throws Exception {
    dns.a("plain.test", "127.0.0.7", 300).aaaa("plain.test", "::1", 300);

    MxLookup lookup = resolver().resolve("plain.test");

    assertThat(lookup)
        .isEqualTo(
            new MxLookup.Resolved(
                "plain.test",
                List.of(new MxHost("plain.test", 0, List.of(ip("127.0.0.7"), ip("::1"))))));
  }

  @Test
  void reportsNullMx() {
    dns.nullMx("nullmx.test", 300).a("nullmx.test", "127.0.0.9", 300);

    assertThat(resolver().resolve("nullmx.test")).isEqualTo(new MxLookup.NullMx("nullmx.test"));
    assertThat(dns.queries("nullmx.test", Type.A))
        .as("no implicit MX for a null MX domain")
        .isZero();
  }

  @Test
  void ignoresANullMxMixedWithRealHosts() throws Exception {
    dns.nullMx("mixed.test", 300)
        .mx("mixed.test", 10, "mx.mixed.test", 300)
        .a("mx.mixed.test", "127.0.0.4", 300);

    assertThat(resolver().resolve("mixed.test"))
        .isEqualTo(
            new MxLookup.Resolved(
                "mixed.test", List.of(new MxHost("mx.mixed.test", 10, List.of(ip("127.0.0.4"))))));
  }

  @Test
  void reportsNoSuchDomainForNxdomain() {
    assertThat(resolver().resolve("missing.test"))
        .isEqualTo(new MxLookup.NoSuchDomain("missing.test"));
  }

  @Test
  void reportsNoDataWhenTheDomainHasNeitherMxNorAddressRecords() {
    dns.exists("empty.test");

    assertThat(resolver().resolve("empty.test")).isInstanceOf(MxLookup.NoData.class);
    assertThat(dns.queries("empty.test", Type.A)).isEqualTo(1);
    assertThat(dns.queries("empty.test", Type.AAAA)).isEqualTo(1);
  }

  @Test
  void reportsNoDataWhenNoMxHostHasAnAddress() {
    dns.mx("dangling.test", 10, "gone.dangling.test", 300).exists("dangling.test");

    MxLookup lookup = resolver().resolve("dangling.test");

    assertThat(lookup).isInstanceOf(MxLookup.NoData.class);
    assertThat(((MxLookup.NoData) lookup).reason()).contains("gone.dangling.test");
  }

  @Test
  void skipsMxHostsWithoutAddressesAndKeepsTheRest() throws Exception {
    dns.mx("partial.test", 10, "gone.partial.test", 300)
        .mx("partial.test", 20, "backup.partial.test", 300)
        .a("backup.partial.test", "127.0.0.21", 300);

    assertThat(resolver().resolve("partial.test"))
        .isEqualTo(
            new MxLookup.Resolved(
                "partial.test",
                List.of(new MxHost("backup.partial.test", 20, List.of(ip("127.0.0.21"))))));
  }

  @Test
  void followsACnameToTheMxRecords() throws Exception {
    dns.cname("alias.test", "real.test", 300)
        .mx("real.test", 10, "mx.real.test", 300)
        .a("mx.real.test", "127.0.0.30", 300);

    assertThat(resolver().resolve("alias.test"))
        .isEqualTo(
            new MxLookup.Resolved(
                "alias.test", List.of(new MxHost("mx.real.test", 10, List.of(ip("127.0.0.30"))))));
  }

  // --- Failures that must defer, not bounce ---

  @Test
  void tempFailsOnServfailAndKeepsTheFailureOnlyBriefly() {
    dns.servfail("broken.test");
    MxResolver resolver = resolver();

    MxLookup first = resolver.resolve("broken.test");
    MxLookup second = resolver.resolve("broken.test");
    assertThat(first).isInstanceOf(MxLookup.TempFail.class);
    assertThat(((MxLookup.TempFail) first).reason()).contains("SERVFAIL");
    assertThat(second).isInstanceOf(MxLookup.TempFail.class);
    assertThat(dns.queries("broken.test", Type.MX)).as("a retry storm is absorbed").isEqualTo(1);

    ticker.advance(OPTIONS.tempFailTtl().plusMillis(1));
    resolver.resolve("broken.test");
    assertThat(dns.queries("broken.test", Type.MX)).isEqualTo(2);
  }

  @Test
  void tempFailsWhenEveryMxHostAddressLookupFails() {
    dns.mx("flaky.test", 10, "mx.flaky.test", 300).servfail("mx.flaky.test");

    MxLookup lookup = resolver().resolve("flaky.test");

    assertThat(lookup).isInstanceOf(MxLookup.TempFail.class);
    assertThat(((MxLookup.TempFail) lookup).reason()).contains("mx.flaky.test");
  }

  @Test
  void tempFailsWithinTheLookupTimeoutWhenTheServerIsSilent() {
    dns.hold("silent.test");
    Duration lookupTimeout = Duration.ofMillis(600);
    MxResolver resolver =
        resolver(OPTIONS.withQueryTimeout(Duration.ofMillis(200)).withLookupTimeout(lookupTimeout));

    long start = System.nanoTime();
    MxLookup lookup = resolver.resolve("silent.test");
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(lookup).isInstanceOf(MxLookup.TempFail.class);
    assertThat(elapsed)
        .isGreaterThanOrEqualTo(Duration.ofMillis(150))
        .isLessThan(lookupTimeout.plusSeconds(1));
    assertThat(dns.queries("silent.test", Type.MX)).isGreaterThanOrEqualTo(1);
  }

  @Test
  void boundsTheQueriesInFlight() throws Exception {
    CountDownLatch gate = dns.hold("held.test");
    MxResolver resolver =
        resolver(
            OPTIONS
                .withMaxQueriesInFlight(1)
                .withQueryTimeout(Duration.ofSeconds(10))
                .withLookupTimeout(Duration.ofMillis(500)));
    Queue<MxLookup> heldResult = new ConcurrentLinkedQueue<>();
    Thread holder = Thread.ofVirtual().start(() -> heldResult.add(resolver.resolve("held.test")));
    Await.until(
        "the held query reached the server",
        Duration.ofSeconds(5),
        () -> dns.queries("held.test", Type.MX) == 1);

    MxLookup blocked = resolver.resolve("other.test");

    assertThat(blocked).isInstanceOf(MxLookup.TempFail.class);
    assertThat(dns.queries("other.test", Type.MX)).as("no permit, no query").isZero();
    holder.join(Duration.ofSeconds(5));
    assertThat(heldResult).singleElement().isInstanceOf(MxLookup.TempFail.class);

    gate.countDown();
    // The permit comes back when the held reply arrives; a fresh name per try, as failures are
    // cached.
    AtomicInteger tries = new AtomicInteger();
    Await.until(
        "a query gets a permit again",
        Duration.ofSeconds(10),
        () ->
            resolver.resolve("later" + tries.incrementAndGet() + ".test")
                instanceof MxLookup.NoSuchDomain);
  }

  // --- Caching: TTLs, negative answers, bounds, coalescing ---

  @Test
  void keepsEachAnswerForItsOwnTtl() {
    dns.mx("ttl.test", 10, "mx.ttl.test", 300).a("mx.ttl.test", "127.0.0.40", 60);
    MxResolver resolver = resolver();

    resolver.resolve("ttl.test");
    ticker.advance(Duration.ofSeconds(59));
    resolver.resolve("ttl.test");
    assertThat(dns.queries("ttl.test", Type.MX)).isEqualTo(1);
    assertThat(dns.queries("mx.ttl.test", Type.A)).isEqualTo(1);

    ticker.advance(Duration.ofSeconds(2));
    resolver.resolve("ttl.test");
    assertThat(dns.queries("ttl.test", Type.MX)).as("MX still fresh at 61 s").isEqualTo(1);
    assertThat(dns.queries("mx.ttl.test", Type.A)).as("A expired at 60 s").isEqualTo(2);

    ticker.advance(Duration.ofSeconds(240));
    assertThat(resolver.resolve("ttl.test")).isInstanceOf(MxLookup.Resolved.class);
    assertThat(dns.queries("ttl.test", Type.MX)).as("MX expired at 300 s").isEqualTo(2);
  }

  @Test
  void clampsLongTtlsToTheMaximum() {
    dns.mx("long.test", 10, "mx.long.test", 7 * 86_400).a("mx.long.test", "127.0.0.41", 7 * 86_400);
    MxResolver resolver =
        resolver(OPTIONS.withTtlBounds(Duration.ofSeconds(1), Duration.ofHours(1)));

    resolver.resolve("long.test");
    ticker.advance(Duration.ofSeconds(3599));
    resolver.resolve("long.test");
    assertThat(dns.queries("long.test", Type.MX)).isEqualTo(1);

    ticker.advance(Duration.ofSeconds(2));
    resolver.resolve("long.test");
    assertThat(dns.queries("long.test", Type.MX)).isEqualTo(2);
  }

  @Test
  void keepsZeroTtlAnswersForTheMinimum() {
    dns.mx("zero.test", 10, "mx.zero.test", 0).a("mx.zero.test", "127.0.0.42", 0);
    MxResolver resolver =
        resolver(OPTIONS.withTtlBounds(Duration.ofSeconds(1), Duration.ofDays(1)));

    resolver.resolve("zero.test");
    resolver.resolve("zero.test");
    assertThat(dns.queries("zero.test", Type.MX)).isEqualTo(1);

    ticker.advance(Duration.ofMillis(1001));
    resolver.resolve("zero.test");
    assertThat(dns.queries("zero.test", Type.MX)).isEqualTo(2);
  }

  @Test
  void cachesNxdomainForTheSoaMinimumWhenItIsSmaller() {
    dns.negativeSoa(3600, 60);
    MxResolver resolver = resolver();

    resolver.resolve("nx.test");
    ticker.advance(Duration.ofSeconds(59));
    assertThat(resolver.resolve("nx.test")).isInstanceOf(MxLookup.NoSuchDomain.class);
    assertThat(dns.queries("nx.test", Type.MX)).isEqualTo(1);

    ticker.advance(Duration.ofSeconds(2));
    resolver.resolve("nx.test");
    assertThat(dns.queries("nx.test", Type.MX)).isEqualTo(2);
  }

  @Test
  void cachesNoDataForTheSoaTtlWhenItIsSmaller() {
    dns.negativeSoa(30, 600).exists("nodata.test");
    MxResolver resolver = resolver();

    resolver.resolve("nodata.test");
    ticker.advance(Duration.ofSeconds(29));
    assertThat(resolver.resolve("nodata.test")).isInstanceOf(MxLookup.NoData.class);
    assertThat(dns.queries("nodata.test", Type.MX)).isEqualTo(1);
    assertThat(dns.queries("nodata.test", Type.A)).isEqualTo(1);

    ticker.advance(Duration.ofSeconds(2));
    resolver.resolve("nodata.test");
    assertThat(dns.queries("nodata.test", Type.MX)).isEqualTo(2);
    assertThat(dns.queries("nodata.test", Type.A)).isEqualTo(2);
  }

  @Test
  void cachesNegativeAnswersWithoutSoaForTheDefault() {
    MxResolver resolver = resolver(OPTIONS.withDefaultNegativeTtl(Duration.ofMinutes(5)));

    resolver.resolve("nosoa.test");
    ticker.advance(Duration.ofSeconds(299));
    resolver.resolve("nosoa.test");
    assertThat(dns.queries("nosoa.test", Type.MX)).isEqualTo(1);

    ticker.advance(Duration.ofSeconds(2));
    resolver.resolve("nosoa.test");
    assertThat(dns.queries("nosoa.test", Type.MX)).isEqualTo(2);
  }

  @Test
  void coalescesConcurrentLookupsOfOneNameIntoOneQuery() throws Exception {
    CountDownLatch gate = dns.hold("popular.test");
    dns.mx("popular.test", 10, "mx.popular.test", 300).a("mx.popular.test", "127.0.0.50", 300);
    // Long timeouts: no retransmission may happen while the answer is held.
    MxResolver resolver =
        resolver(
            OPTIONS
                .withQueryTimeout(Duration.ofSeconds(10))
                .withLookupTimeout(Duration.ofSeconds(20)));
    Queue<MxLookup> results = new ConcurrentLinkedQueue<>();
    List<Thread> callers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      callers.add(Thread.ofVirtual().start(() -> results.add(resolver.resolve("popular.test"))));
    }

    Await.until(
        "all 50 callers wait on the one query",
        Duration.ofSeconds(10),
        () ->
            dns.queries("popular.test", Type.MX) == 1
                && callers.stream().allMatch(t -> t.getState() == Thread.State.TIMED_WAITING));
    gate.countDown();
    for (Thread caller : callers) {
      assertThat(caller.join(Duration.ofSeconds(10))).isTrue();
    }

    assertThat(results).hasSize(50).allMatch(MxLookup.Resolved.class::isInstance);
    assertThat(dns.queries("popular.test", Type.MX)).isEqualTo(1);
    assertThat(dns.queries("mx.popular.test", Type.A)).isEqualTo(1);
  }

  @Test
  void boundsTheNumberOfCachedAnswers() {
    MxResolver resolver = resolver(OPTIONS.withCacheSize(10));

    for (int i = 0; i < 40; i++) {
      // Implicit MX, so each domain fills an entry in both caches.
      dns.a("n" + i + ".test", "127.0.2." + (i + 1), 300);
      assertThat(resolver.resolve("n" + i + ".test")).isInstanceOf(MxLookup.Resolved.class);
    }

    assertThat(dns.totalQueries()).as("MX, A and AAAA per domain").isEqualTo(120);
    assertThat(resolver.cachedMxAnswers()).isBetween(1L, 10L);
    assertThat(resolver.cachedAddressAnswers()).isBetween(1L, 10L);
  }

  // --- Names and configuration ---

  @Test
  void normalisesCaseTrailingDotAndInternationalisedNames() throws Exception {
    dns.mx("xn--bcher-kva.test", 10, "mx.xn--bcher-kva.test", 300)
        .a("mx.xn--bcher-kva.test", "127.0.0.60", 300);
    MxResolver resolver = resolver();
    MxLookup expected =
        new MxLookup.Resolved(
            "xn--bcher-kva.test",
            List.of(new MxHost("mx.xn--bcher-kva.test", 10, List.of(ip("127.0.0.60")))));

    assertThat(resolver.resolve("Bücher.TEST.")).isEqualTo(expected);
    assertThat(resolver.resolve("xn--BCHER-kva.test")).isEqualTo(expected);
    assertThat(dns.queries("xn--bcher-kva.test", Type.MX))
        .as("one cache entry for all spellings")
        .isEqualTo(1);
  }

  @Test
  void answersInvalidNamesWithoutAskingTheDns() {
    MxResolver resolver = resolver();

    assertThat(resolver.resolve("a..test")).isInstanceOf(MxLookup.NoSuchDomain.class);
    assertThat(resolver.resolve(" ")).isInstanceOf(MxLookup.NoSuchDomain.class);
    assertThat(resolver.resolve("x".repeat(64) + ".test"))
        .isInstanceOf(MxLookup.NoSuchDomain.class);
    assertThat(resolver.resolve("bad name.test")).isInstanceOf(MxLookup.NoSuchDomain.class);
    assertThat(dns.totalQueries()).isZero();
  }

  @Test
  void buildsFromTheDeliveryDnsConfig() throws Exception {
    dns.mx("config.test", 10, "mx.config.test", 300).a("mx.config.test", "127.0.0.70", 300);
    DnsConfig config = new DnsConfig(List.of(new HostPort("127.0.0.1", dns.address().getPort())));

    MxResolver resolver = MxResolver.fromConfig(config, ticker, OPTIONS);

    assertThat(resolver.resolve("config.test"))
        .isEqualTo(
            new MxLookup.Resolved(
                "config.test",
                List.of(new MxHost("mx.config.test", 10, List.of(ip("127.0.0.70"))))));
  }

  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }
}
