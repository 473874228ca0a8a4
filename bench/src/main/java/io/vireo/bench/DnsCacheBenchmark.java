package io.vireo.bench;

import com.github.benmanes.caffeine.cache.Ticker;
import io.vireo.relay.dns.MxLookup;
import io.vireo.relay.dns.MxResolver;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The cache-hit path of {@link MxResolver#resolve}: what the delivery engine pays per message once
 * a recipient domain's MX records and its MX hosts' addresses are cached.
 *
 * <p>Models a relay's working set: {@code domains} recipient domains (10,000 by default) drawn from
 * a Zipf distribution (exponent {@code zipfExponent}, 1.0 by default: a few big mailbox providers
 * get most mail, a long tail gets little), each domain with one MX record pointing at one of 200
 * shared MX hosts, as hosted mail is. Every answer has a one-day TTL and the setup resolves every
 * domain once, so each measured call is a hit in both caches: name normalisation (lower case,
 * syntax check; these ASCII names skip IDNA), the MX cache lookup, the per-call shuffle, the address cache lookup and building the
 * result. The answers come from a small DNS server inside the benchmark on 127.0.0.1, so no query
 * leaves the machine.
 *
 * <p>Run (JDK 25; the JMH jar is built by {@code package}):
 *
 * <pre>
 * ./mvnw -q -B -pl bench -am package -DskipTests
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp 'bench/target/vireo-bench.jar:bench/target/lib/*' \
 *     org.openjdk.jmh.Main DnsCacheBenchmark
 * </pre>
 *
 * Add {@code -t 4} to measure contention across threads, {@code -p zipfExponent=0.0} for a uniform
 * mix.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DnsCacheBenchmark {

  /** Samples drawn ahead of time, so the measured loop spends nothing on random numbers. */
  private static final int SAMPLES = 1 << 16;

  @Param("10000")
  int domains;

  @Param("1.0")
  double zipfExponent;

  private SyntheticZoneServer server;
  private MxResolver resolver;
  private String[] names;
  private int[] samples;

  /** Each benchmark thread walks the shared sample array from its own position. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    @Setup(Level.Trial)
    public void start() {
      next = (int) (Thread.currentThread().threadId() * 7919);
    }
  }

  @Setup(Level.Trial)
  public void warmUp() throws Exception {
    server = new SyntheticZoneServer();
    resolver =
        new MxResolver(
            List.of(server.address()), Duration.ofSeconds(2), Ticker.systemTicker(), 2L * domains);
    names = new String[domains];
    for (int i = 0; i < domains; i++) {
      names[i] = SyntheticZoneServer.domain(i);
    }
    samples = zipfSamples(domains, zipfExponent, new SplittableRandom(20_260_101));

    // Fill both caches: every domain once, 64 at a time (the resolver admits 32 queries in flight).
    List<Thread> loaders = new ArrayList<>();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 64; t++) {
      int first = t;
      loaders.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = first; i < domains; i += 64) {
                      MxLookup lookup = resolver.resolve(names[i]);
                      if (!(lookup instanceof MxLookup.Resolved)) {
                        failures.add(lookup.toString());
                      }
                    }
                  }));
    }
    for (Thread loader : loaders) {
      if (!loader.join(Duration.ofMinutes(2))) {
        throw new IllegalStateException("warm-up did not finish in time");
      }
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException(
          failures.size() + " domains did not resolve, e.g. " + failures.getFirst());
    }
  }

  @TearDown(Level.Trial)
  public void stopServer() {
    server.close();
  }

  @Benchmark
  public MxLookup resolveCachedDomain(Cursor cursor) {
    return resolver.resolve(names[samples[cursor.next++ & (SAMPLES - 1)]]);
  }

  /** Domain indexes drawn from Zipf(exponent) over [0, n) by inverting the cumulative weights. */
  private static int[] zipfSamples(int n, double exponent, SplittableRandom random) {
    double[] cumulative = new double[n];
    double total = 0;
    for (int rank = 0; rank < n; rank++) {
      total += 1.0 / Math.pow(rank + 1, exponent);
      cumulative[rank] = total;
    }
    int[] drawn = new int[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      int index = Arrays.binarySearch(cumulative, random.nextDouble() * total);
      drawn[i] = Math.min(n - 1, index >= 0 ? index : -index - 1);
    }
    return drawn;
  }

  /**
   * A DNS server on 127.0.0.1 for a generated zone: {@code d<i>.bench.test} has {@code MX 10 mx<i %
   * 200>.bench.test}, each MX host one A record in 127.0.0.0/8 and no AAAA; anything else is
   * NXDOMAIN. All TTLs are one day.
   */
  static final class SyntheticZoneServer implements AutoCloseable {

    private static final int MX_HOSTS = 200;
    private static final long TTL = 86_400;

    private final DatagramSocket socket;
    private final Thread receiver;

    SyntheticZoneServer() throws IOException {
      socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      receiver = Thread.ofPlatform().daemon().name("bench-dns").start(this::serve);
    }

    static String domain(int index) {
      return "d" + index + ".bench.test";
    }

    InetSocketAddress address() {
      return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public void close() {
      socket.close();
      try {
        receiver.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void serve() {
      byte[] buffer = new byte[1500];
      while (!socket.isClosed()) {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(packet);
          byte[] reply =
              answer(new Message(Arrays.copyOf(packet.getData(), packet.getLength()))).toWire();
          socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
        } catch (IOException e) {
          if (!socket.isClosed()) {
            throw new IllegalStateException("benchmark DNS server failed", e);
          }
        }
      }
    }

    private static Message answer(Message query) throws IOException {
      Record question = query.getQuestion();
      Message reply = new Message(query.getHeader().getID());
      reply.getHeader().setFlag(Flags.QR);
      reply.getHeader().setFlag(Flags.RD);
      reply.getHeader().setFlag(Flags.RA);
      reply.addRecord(question, Section.QUESTION);
      Name name = question.getName();
      String[] labels = name.toString(true).toLowerCase(Locale.ROOT).split("\\.");
      if (labels.length != 3 || !labels[1].equals("bench") || !labels[2].equals("test")) {
        reply.getHeader().setRcode(Rcode.NXDOMAIN);
        return reply;
      }
      String label = labels[0];
      if (label.startsWith("d") && question.getType() == Type.MX) {
        int index = Integer.parseInt(label.substring(1));
        Name host = Name.fromString("mx" + (index % MX_HOSTS) + ".bench.test.");
        reply.addRecord(new MXRecord(name, DClass.IN, TTL, 10, host), Section.ANSWER);
      } else if (label.startsWith("mx") && question.getType() == Type.A) {
        int index = Integer.parseInt(label.substring(2));
        byte[] ip = {127, 0, (byte) (index / 250), (byte) (index % 250 + 1)};
        reply.addRecord(
            new ARecord(name, DClass.IN, TTL, InetAddress.getByAddress(ip)), Section.ANSWER);
      }
      // Anything else that matches the zone's shape is NODATA: NOERROR with an empty answer.
      return reply;
    }
  }
}
