package io.vireo.relay.listen;

import io.vireo.relay.auth.LoginThrottle;
import java.net.InetAddress;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts concurrent sessions, in total and per client address, and hands out a permit for each
 * admitted connection. Admission never blocks: a connection beyond a limit is refused at once. An
 * IPv6 client counts by its /64, as the login throttle and the rate limits count it: one host can
 * pick any address in its /64, so counting single addresses would not hold it. The limits may
 * change while it runs (a reload); lowering them ends no session, it only refuses new connections
 * until enough have left.
 */
public final class ConnectionLimiter {
  private final AtomicInteger open = new AtomicInteger();
  private volatile int maxTotal;
  private volatile int perAddress;
  private final ConcurrentHashMap<String, Integer> byAddress = new ConcurrentHashMap<>();

  public ConnectionLimiter(int maxConnections, int maxPerAddress) {
    setLimits(maxConnections, maxPerAddress);
  }

  /** New limits for the admissions from now on. */
  public void setLimits(int maxConnections, int maxPerAddress) {
    this.maxTotal = maxConnections;
    this.perAddress = maxPerAddress;
  }

  /** The outcome of {@link #tryAdmit}. */
  public sealed interface Admission {
    record Admitted(Permit permit) implements Admission {}

    record Refused(Limit limit) implements Admission {}
  }

  /** The limit a refused connection hit; each protocol words its own refusal. */
  public enum Limit {
    /** {@code limits.max-connections} sessions were running. */
    MAX_CONNECTIONS,
    /** The client's address had {@code limits.max-connections-per-ip} sessions. */
    MAX_CONNECTIONS_PER_IP
  }

  public Admission tryAdmit(InetAddress client) {
    int limit = maxTotal;
    if (open.getAndUpdate(n -> n < limit ? n + 1 : n) >= limit) {
      return new Admission.Refused(Limit.MAX_CONNECTIONS);
    }
    int addressLimit = perAddress;
    boolean[] admitted = {false};
    String key = LoginThrottle.addressKey(client);
    byAddress.compute(
        key,
        (address, count) -> {
          int current = count == null ? 0 : count;
          if (current >= addressLimit) {
            return count;
          }
          admitted[0] = true;
          return current + 1;
        });
    if (!admitted[0]) {
      open.decrementAndGet();
      return new Admission.Refused(Limit.MAX_CONNECTIONS_PER_IP);
    }
    return new Admission.Admitted(new Permit(key));
  }

  /** Connections from {@code client} holding a permit now. */
  public int connectionsFrom(InetAddress client) {
    return byAddress.getOrDefault(LoginThrottle.addressKey(client), 0);
  }

  /** One admitted connection; closing it (once, idempotently) frees its place. */
  public final class Permit implements AutoCloseable {
    private final String client;
    private final AtomicBoolean released = new AtomicBoolean();

    private Permit(String client) {
      this.client = Objects.requireNonNull(client);
    }

    @Override
    public void close() {
      if (released.compareAndSet(false, true)) {
        byAddress.computeIfPresent(client, (address, count) -> count <= 1 ? null : count - 1);
        open.decrementAndGet();
      }
    }
  }
}
