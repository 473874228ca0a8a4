package io.vireo.relay.dns;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.vireo.config.DnsConfig;
import io.vireo.config.HostPort;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ResolverConfig;

/**
 * Finds the mail exchangers for a domain (RFC 5321 section 5.1) through recursive DNS resolvers,
 * with the MX answers and the hosts' addresses cached for their TTLs.
 *
 * <p>{@link #resolve} blocks, which is cheap on virtual threads, and never longer than the
 * configured lookup timeout. Concurrent lookups of one name share one query; at most a fixed number
 * of queries are on the wire at once. Positive answers live for their TTL, negative ones for the
 * RFC 2308 SOA TTL, failures a few seconds, all within the bounds set in {@link MxResolverOptions}.
 */
public final class MxResolver {

  private static final Logger log = LoggerFactory.getLogger(MxResolver.class);

  /**
   * MX hosts whose addresses are looked up per domain. A zone listing hundreds of MX records would
   * otherwise cost hundreds of queries; delivery never gets past the first few hosts anyway.
   */
  static final int MAX_EXCHANGERS = 16;

  /** Thread-safe default: each caller uses its own thread's generator. */
  private static final RandomGenerator PER_THREAD_RANDOM =
      () -> ThreadLocalRandom.current().nextLong();

  private final MxResolverOptions options;
  private final RandomGenerator random;
  private final AnswerLoader loader;
  private final Ticker ticker;
  private final AsyncCache<String, Received<MxAnswer>> mxAnswers;
  private final AsyncCache<String, Received<AddressAnswer>> addressAnswers;
  private final Executor lookupThreads;

  /**
   * An answer with the ticker time it arrived. Expiry counts the TTL from that moment rather than from
   * when the cache gets round to recording the completed load, which may happen a little later on
   * another thread.
   */
  private record Received<V extends CachedAnswer>(V answer, long atNanos) {}

  /**
   * A resolver with default options apart from the query timeout and cache size.
   *
   * @param servers resolvers to ask (IP addresses); empty means the system's, from dnsjava's {@code
   *     ResolverConfig} ({@code /etc/resolv.conf} on Linux)
   * @param queryTimeout how long one server gets to answer one query
   * @param ticker the time source for cache expiry; {@link Ticker#systemTicker()} outside tests
   * @param cacheSize the most entries in each cache
   */
  public MxResolver(
      List<InetSocketAddress> servers, Duration queryTimeout, Ticker ticker, long cacheSize) {
    this(
        servers,
        ticker,
        PER_THREAD_RANDOM,
        MxResolverOptions.defaults().withQueryTimeout(queryTimeout).withCacheSize(cacheSize));
  }

  /**
   * A resolver with every option explicit.
   *
   * @param random shuffles equal-preference MX hosts; used from many threads at once, so it must be
   *     thread-safe (a {@link java.util.Random} is, a {@code SplittableRandom} is not)
   */
  public MxResolver(
      List<InetSocketAddress> servers,
      Ticker ticker,
      RandomGenerator random,
      MxResolverOptions options) {
    this.options = options;
    this.random = random;
    List<InetSocketAddress> targets =
        servers.isEmpty() ? ResolverConfig.getCurrentConfig().servers() : List.copyOf(servers);
    this.loader = new AnswerLoader(new DnsClient(targets, options), options);
    this.ticker = ticker;
    this.mxAnswers = newCache(ticker, options.cacheSize());
    this.addressAnswers = newCache(ticker, options.cacheSize());
    ThreadFactory threads = Thread.ofVirtual().name("dns-lookup-", 0).factory();
    this.lookupThreads = task -> threads.newThread(task).start();
    log.debug("MX resolver asking {} with {}", targets, options);
  }

  /** A resolver for {@code delivery.dns} with default options and the system clock. */
  public static MxResolver fromConfig(DnsConfig dns) {
    return fromConfig(dns, Ticker.systemTicker(), MxResolverOptions.defaults());
  }

  /** A resolver for {@code delivery.dns}; the servers must be IP addresses, not names. */
  public static MxResolver fromConfig(DnsConfig dns, Ticker ticker, MxResolverOptions options) {
    List<InetSocketAddress> servers =
        dns.servers().stream().map(HostPort::toSocketAddress).toList();
    return new MxResolver(servers, ticker, PER_THREAD_RANDOM, options);
  }

  /**
   * Finds where mail for {@code domain} goes. Accepts any case, U-labels and a trailing dot. Blocks
   * for at most the lookup timeout; an answer not in by then is a {@link MxLookup.TempFail}.
   */
  public MxLookup resolve(String domain) {
    long deadline = System.nanoTime() + options.lookupTimeout().toNanos();
    String name;
    try {
      name = DomainNames.normalize(domain);
    } catch (IllegalArgumentException e) {
      log.debug("Not a valid domain name {}: {}", domain, e.getMessage());
      return new MxLookup.NoSuchDomain(domain.strip().toLowerCase(Locale.ROOT));
    }
    MxLookup lookup =
        switch (answer(mxAnswers.get(name, this::loadMx), deadline)) {
          case null -> new MxLookup.TempFail(name, "MX " + name + ": " + unfinished());
          case MxAnswer.Exchangers exchangers -> fromExchangers(name, exchangers, deadline);
          case MxAnswer.NoExchangers noExchangers -> implicitMx(name, deadline);
          case MxAnswer.NullMx nullMx -> new MxLookup.NullMx(name);
          case MxAnswer.NoSuchDomain noSuchDomain -> new MxLookup.NoSuchDomain(name);
          case MxAnswer.Failure failure -> new MxLookup.TempFail(name, failure.reason());
        };
    if (lookup instanceof MxLookup.TempFail tempFail) {
      log.debug("DNS lookup for {} failed temporarily: {}", name, tempFail.reason());
    }
    return lookup;
  }

  /** Cache hits and misses so far; cheap (Caffeine counts them in striped adders). */
  public ResolverStats stats() {
    CacheStats mx = mxAnswers.synchronous().stats();
    CacheStats address = addressAnswers.synchronous().stats();
    return new ResolverStats(
        mx.hitCount(),
        mx.missCount(),
        address.hitCount(),
        address.missCount(),
        mxAnswers.synchronous().estimatedSize(),
        addressAnswers.synchronous().estimatedSize());
  }

  /** Entries in the MX cache once pending maintenance has run; for tests of the size bound. */
  long cachedMxAnswers() {
    mxAnswers.synchronous().cleanUp();
    return mxAnswers.synchronous().estimatedSize();
  }

  /** Entries in the address cache once pending maintenance has run; for tests of the size bound. */
  long cachedAddressAnswers() {
    addressAnswers.synchronous().cleanUp();
    return addressAnswers.synchronous().estimatedSize();
  }

  private MxLookup fromExchangers(String domain, MxAnswer.Exchangers answer, long deadline) {
    List<MxAnswer.Exchanger> ordered = answer.inDeliveryOrder(random);
    if (ordered.size() > MAX_EXCHANGERS) {
      ordered = ordered.subList(0, MAX_EXCHANGERS);
    }
    // Ask for every host's addresses first, then wait: the queries run in parallel.
    List<CompletableFuture<Received<AddressAnswer>>> pending = new ArrayList<>(ordered.size());
    for (MxAnswer.Exchanger exchanger : ordered) {
      pending.add(addressAnswers.get(exchanger.host(), this::loadAddresses));
    }
    List<MxHost> hosts = new ArrayList<>(ordered.size());
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i++) {
      MxAnswer.Exchanger exchanger = ordered.get(i);
      switch (answer(pending.get(i), deadline)) {
        case null -> failures.add("A/AAAA " + exchanger.host() + ": " + unfinished());
        case AddressAnswer.Addresses found ->
            hosts.add(new MxHost(exchanger.host(), exchanger.preference(), found.addresses()));
        case AddressAnswer.NoAddresses none ->
            log.debug("MX host {} of {} has no address", exchanger.host(), domain);
        case AddressAnswer.Failure failure -> failures.add(failure.reason());
      }
    }
    if (!hosts.isEmpty()) {
      // RFC 5321 section 5.1: hosts without an address are skipped; the rest are still worth
      // trying.
      return new MxLookup.Resolved(domain, hosts);
    }
    if (!failures.isEmpty()) {
      return new MxLookup.TempFail(
          domain, "no MX host address yet: " + String.join("; ", failures));
    }
    List<String> names = ordered.stream().map(MxAnswer.Exchanger::host).toList();
    return new MxLookup.NoData(
        domain, "no MX host has an address record: " + String.join(", ", names));
  }

  /** RFC 5321 section 5.1: without MX records the domain itself is the only host, preference 0. */
  private MxLookup implicitMx(String domain, long deadline) {
    return switch (answer(addressAnswers.get(domain, this::loadAddresses), deadline)) {
      case null -> new MxLookup.TempFail(domain, "A/AAAA " + domain + ": " + unfinished());
      case AddressAnswer.Addresses found ->
          new MxLookup.Resolved(domain, List.of(new MxHost(domain, 0, found.addresses())));
      case AddressAnswer.NoAddresses none ->
          new MxLookup.NoData(domain, "no MX and no A/AAAA records");
      case AddressAnswer.Failure failure -> new MxLookup.TempFail(domain, failure.reason());
    };
  }

  private CompletableFuture<Received<MxAnswer>> loadMx(String domain, Executor unused) {
    return CompletableFuture.supplyAsync(
        () -> new Received<>(loader.loadMx(domain, loadDeadline()), ticker.read()), lookupThreads);
  }

  private CompletableFuture<Received<AddressAnswer>> loadAddresses(String host, Executor unused) {
    return CompletableFuture.supplyAsync(
        () -> new Received<>(loader.loadAddresses(host, loadDeadline()), ticker.read()),
        lookupThreads);
  }

  private static <V extends CachedAnswer> V answer(
      CompletableFuture<Received<V>> load, long deadline) {
    Received<V> received = await(load, deadline);
    return received == null ? null : received.answer();
  }

  /** A load has its own deadline: callers joining it later must not cut it short. */
  private long loadDeadline() {
    return System.nanoTime() + options.lookupTimeout().toNanos();
  }

  /**
   * Waits for a (possibly shared) load until the caller's deadline; null if it is not done by then
   * or the thread was interrupted (the interrupt stays set).
   */
  private static <T> T await(CompletableFuture<T> load, long deadline) {
    try {
      return load.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      // Loads turn every DNS outcome into a value; an exception here is a bug, reported and
      // survived.
      log.warn("DNS load failed unexpectedly", e.getCause());
      return null;
    }
  }

  private static String unfinished() {
    return Thread.currentThread().isInterrupted()
        ? "interrupted"
        : "no answer within the lookup timeout";
  }

  private static <V extends CachedAnswer> AsyncCache<String, Received<V>> newCache(
      Ticker ticker, long size) {
    return Caffeine.newBuilder()
        .ticker(ticker)
        .maximumSize(size)
        .expireAfter(new TtlSinceReceipt<V>())
        .recordStats()
        .buildAsync();
  }

  /** Keeps an answer for its TTL counted from its arrival (RFC 1035 section 3.2.1, RFC 2308). */
  private static final class TtlSinceReceipt<V extends CachedAnswer>
      implements Expiry<String, Received<V>> {
    @Override
    public long expireAfterCreate(String key, Received<V> value, long currentTime) {
      return Math.max(0, value.answer().ttl().toNanos() - (currentTime - value.atNanos()));
    }

    @Override
    public long expireAfterUpdate(
        String key, Received<V> value, long currentTime, long currentDuration) {
      return expireAfterCreate(key, value, currentTime);
    }

    @Override
    public long expireAfterRead(
        String key, Received<V> value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
