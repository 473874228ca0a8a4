package io.vireo.relay.delivery.schedule.limits;

import io.vireo.config.DestinationLimits;
import io.vireo.config.Rate;
import io.vireo.config.RedisEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/**
 * Per-destination limits held in Redis ({@code cluster.redis}), so that every Vireo node pointing
 * at the same Redis shares one rate and one connection cap per destination.
 *
 * <ul>
 *   <li>Rate: one Lua script ({@code rate.lua}) hands out the destination's next send slot, spaced
 *       by the rate's interval on Redis's clock, exactly as the local {@link RateLimiter} does for
 *       one node.
 *   <li>Connections: a worker holds a lease ({@code lease.lua}) while it holds a connection; the
 *       destination's leases never exceed {@code connections}, waiting nodes are served in turn,
 *       and leases expire unless renewed (every third of their TTL), so a crashed node's leases
 *       time out.
 * </ul>
 *
 * <p>When Redis is unreachable or slow (short timeouts, {@link RedisLimitsOptions}), each decision
 * falls back to this node's own limits for a while ({@link RedisGuard}), counted in {@link
 * #fallbacks()}; mail keeps flowing. Connections opened meanwhile are registered once Redis is
 * back, so the shared count stays true. A refused password ({@code WRONGPASS}) or a failed TLS
 * handshake is handled the same way, its reason in the warning. Nothing is needed from Redis at
 * start-up.
 */
public final class RedisLimits implements SharedLimits {
  private static final Logger log = LoggerFactory.getLogger(RedisLimits.class);
  private static final LuaScript RATE = LuaScript.load("rate.lua");
  private static final LuaScript LEASE = LuaScript.load("lease.lua");

  private final RedisAccess access;
  private final RedisClient redis;
  private final RedisGuard guard;
  private final RedisLimitsOptions options;
  private final String node = UUID.randomUUID().toString().substring(0, 8);
  private final AtomicLong slotIds = new AtomicLong();
  private final Set<Slot> held = ConcurrentHashMap.newKeySet();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread renewer;

  /** Limits on the Redis {@code access} reaches, with the default timeouts. */
  public static RedisLimits connect(RedisAccess access, Clock clock) {
    return new RedisLimits(access, clock, RedisLimitsOptions.defaults());
  }

  /** Limits on the Redis at {@code endpoint}, without a password. */
  public RedisLimits(RedisEndpoint endpoint, Clock clock, RedisLimitsOptions options) {
    this(RedisAccess.of(endpoint), clock, options);
  }

  /**
   * Limits on the Redis {@code access} reaches. Nothing is asked of Redis yet: a wrong password or
   * a failed TLS handshake shows at the first decision, and is handled as Redis being away.
   */
  public RedisLimits(RedisAccess access, Clock clock, RedisLimitsOptions options) {
    this.access = access;
    this.options = options;
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(options.poolSize());
    pool.setMaxIdle(options.poolSize());
    pool.setMaxWait(options.commandTimeout());
    RedisEndpoint endpoint = access.endpoint();
    this.redis =
        RedisClient.builder()
            .hostAndPort(endpoint.host(), endpoint.port())
            .clientConfig(
                access
                    .configure(DefaultJedisClientConfig.builder())
                    .connectionTimeoutMillis(Math.toIntExact(options.connectTimeout().toMillis()))
                    .socketTimeoutMillis(Math.toIntExact(options.commandTimeout().toMillis()))
                    .database(endpoint.database())
                    .clientName("vireo-" + node)
                    .build())
            .poolConfig(pool)
            .build();
    this.guard =
        new RedisGuard(
            access.toString(),
            clock,
            options.retryAfter(),
            options.warnEvery(),
            () -> redis.getPool().clear());
    this.renewer = Thread.ofVirtual().name("redis-limits-renewer").start(this::renewLeases);
    log.info("shared limits on Redis {} (this node: {})", access, node);
  }

  @Override
  public DestinationLimiter limiter(String destination, DestinationLimits limits) {
    return new Limiter(LimitKeys.of(destination), limits, new LocalLimits.Local(limits));
  }

  @Override
  public long fallbacks() {
    return guard.fallbacks();
  }

  /**
   * Stops renewing leases and closes the connections to Redis. Leases still held (a worker that
   * did not stop) expire by themselves.
   */
  @Override
  public void close() {
    if (closed.getCount() == 0) {
      return;
    }
    closed.countDown();
    try {
      renewer.join(options.commandTimeout().multipliedBy(4));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    redis.close();
  }

  @Override
  public String toString() {
    return "RedisLimits[" + access + ", node " + node + "]";
  }

  /** Renews every held lease each third of the lease TTL, until closed. */
  private void renewLeases() {
    long period = Math.max(1, options.leaseTtl().toMillis() / 3);
    try {
      while (!closed.await(period, TimeUnit.MILLISECONDS)) {
        for (Slot slot : held) {
          if (guard.upkeep(() -> slot.run("renew")).isEmpty()) {
            break; // Redis is away: the next round tries again
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One destination's limits in Redis, with this node's own as the fallback. */
  private final class Limiter implements DestinationLimiter {
    private final LimitKeys keys;
    private final DestinationLimits limits;
    private final LocalLimits.Local local;
    private final String intervalMicros;

    Limiter(LimitKeys keys, DestinationLimits limits, LocalLimits.Local local) {
      this.keys = keys;
      this.limits = limits;
      this.local = local;
      Rate rate = limits.rate();
      this.intervalMicros =
          rate.isUnlimited()
              ? null
              : Long.toString(Math.max(1, Math.round(1e6 / rate.perSecond())));
    }

    @Override
    public Duration reserve(Instant now) {
      if (intervalMicros == null) {
        return Duration.ZERO;
      }
      return guard
          .decide(() -> slot("0"))
          .map(micros -> Duration.ofNanos(micros * 1000))
          .orElseGet(() -> local.reserve(now));
    }

    @Override
    public boolean tryReserve(Instant now) {
      if (intervalMicros == null) {
        return true;
      }
      return guard
          .decide(() -> slot("1"))
          .map(micros -> micros >= 0)
          .orElseGet(() -> local.tryReserve(now));
    }

    private long slot(String onlyIfFree) {
      return (Long) RATE.run(redis, List.of(keys.rate()), List.of(intervalMicros, onlyIfFree));
    }

    @Override
    public ConnectionSlot connectionSlot() {
      return new Slot(keys, limits.connections(), node + ":" + slotIds.incrementAndGet());
    }
  }

  /** One worker's lease on a destination's connections. */
  private final class Slot implements ConnectionSlot {
    private final LimitKeys keys;
    private final int cap;
    private final String id;
    private boolean holding;

    Slot(LimitKeys keys, int cap, String id) {
      this.keys = keys;
      this.cap = cap;
      this.id = id;
    }

    @Override
    public boolean tryAcquire() {
      if (holding) {
        return true;
      }
      // Redis away: the destination's local cap (its worker count) is the limit meanwhile.
      boolean granted = guard.decide(() -> run("acquire") == 1L).orElse(true);
      if (granted) {
        holding = true;
        held.add(this);
      }
      return granted;
    }

    @Override
    public void release() {
      if (!holding) {
        return;
      }
      holding = false;
      held.remove(this);
      // Redis away: the lease expires by itself.
      guard.upkeep(() -> redis.zrem(keys.leases(), id));
    }

    long run(String mode) {
      return (Long)
          LEASE.run(
              redis,
              List.of(keys.leases(), keys.waiters(), keys.waitersSeen()),
              List.of(
                  id,
                  Integer.toString(cap),
                  Long.toString(options.leaseTtl().toMillis()),
                  mode,
                  Long.toString(options.waiterTtl().toMillis())));
    }
  }
}
