package io.vireo.relay.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Sends single DNS queries to the configured recursive resolvers, never more than a fixed number on
 * the wire at once, and turns every reply, error or timeout into an {@link RrsetAnswer}.
 */
final class DnsClient {

  /**
   * Tries per server for one query: a second datagram covers one lost packet; longer persistence is
   * the delivery retry schedule's job, not the resolver's.
   */
  private static final int ATTEMPTS_PER_SERVER = 2;

  private final Resolver resolver;
  private final Semaphore inFlight;
  private final Duration defaultNegativeTtl;

  DnsClient(List<InetSocketAddress> servers, MxResolverOptions options) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("no DNS servers to ask");
    }
    List<Resolver> resolvers = new ArrayList<>();
    for (InetSocketAddress server : servers) {
      if (server.isUnresolved()) {
        throw new IllegalArgumentException("DNS server must be an IP address: " + server);
      }
      SimpleResolver simple = new SimpleResolver(server);
      simple.setTimeout(options.queryTimeout());
      resolvers.add(simple);
    }
    // dnsjava 3.6 splits timeouts: each SimpleResolver's is the per-query timeout (checked by its
    // NIO
    // selector on a tick of about one second, so it is a lower bound); the ExtendedResolver's only
    // stops further retries, and retrying makes no sense once the lookup's own deadline has passed.
    ExtendedResolver extended = new ExtendedResolver(resolvers);
    extended.setRetries(ATTEMPTS_PER_SERVER);
    extended.setTimeout(options.lookupTimeout());
    this.resolver = extended;
    this.inFlight = new Semaphore(options.maxQueriesInFlight());
    this.defaultNegativeTtl = options.defaultNegativeTtl();
  }

  /**
   * Sends one query, first waiting (at most until {@code deadlineNanos}, on the {@link
   * System#nanoTime} scale) for an in-flight permit. The returned future never fails and completes
   * by the deadline.
   */
  CompletableFuture<RrsetAnswer> send(Name name, int type, long deadlineNanos) {
    String question = Type.string(type) + " " + name;
    try {
      if (!inFlight.tryAcquire(remaining(deadlineNanos), TimeUnit.NANOSECONDS)) {
        return CompletableFuture.completedFuture(
            new RrsetAnswer.Failure(question + ": too many DNS queries in flight"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.completedFuture(new RrsetAnswer.Failure(question + ": interrupted"));
    }
    CompletableFuture<Message> wire;
    try {
      wire =
          resolver
              .sendAsync(Message.newQuery(Record.newRecord(name, type, DClass.IN)))
              .toCompletableFuture();
    } catch (RuntimeException e) {
      inFlight.release();
      return CompletableFuture.completedFuture(new RrsetAnswer.Failure(question + ": " + e));
    }
    // The permit follows the datagram, not the caller: it returns when dnsjava finishes with the
    // query
    // (its own timeout included), so a caller giving up early cannot push more queries onto the
    // wire.
    wire.whenComplete((reply, error) -> inFlight.release());
    return wire.copy()
        .orTimeout(remaining(deadlineNanos), TimeUnit.NANOSECONDS)
        .handle(
            (reply, error) -> {
              if (error == null) {
                return ReplyReader.read(reply, name, type, defaultNegativeTtl);
              }
              return new RrsetAnswer.Failure(question + ": " + describe(error));
            });
  }

  private static long remaining(long deadlineNanos) {
    return Math.max(0, deadlineNanos - System.nanoTime());
  }

  private static String describe(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof TimeoutException) {
      return "timed out";
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
