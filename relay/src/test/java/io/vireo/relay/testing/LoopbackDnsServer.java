package io.vireo.relay.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A small authoritative-style DNS server on 127.0.0.1 and an ephemeral UDP port, answering from an
 * in-memory record set, for tests. It counts queries per name and type and can be told to fail a
 * name (SERVFAIL) or hold its answers until a gate opens (a gate never opened is a timeout).
 */
public final class LoopbackDnsServer implements AutoCloseable {

  private final DatagramSocket socket;
  private final Thread receiver;
  private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
  private final Set<Name> failing = ConcurrentHashMap.newKeySet();
  private final Map<Name, CountDownLatch> gates = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> queryCounts = new ConcurrentHashMap<>();
  private final AtomicInteger totalQueries = new AtomicInteger();
  private final List<Throwable> errors = new CopyOnWriteArrayList<>();
  private volatile SOARecord negativeSoa;

  public LoopbackDnsServer() throws SocketException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    receiver = Thread.ofVirtual().name("loopback-dns").start(this::receiveLoop);
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  public LoopbackDnsServer mx(String domain, int preference, String host, long ttl) {
    return add(new MXRecord(name(domain), DClass.IN, ttl, preference, name(host)));
  }

  public LoopbackDnsServer nullMx(String domain, long ttl) {
    return add(new MXRecord(name(domain), DClass.IN, ttl, 0, Name.root));
  }

  public LoopbackDnsServer a(String host, String address, long ttl) {
    return add(new ARecord(name(host), DClass.IN, ttl, inet(address)));
  }

  public LoopbackDnsServer aaaa(String host, String address, long ttl) {
    return add(new AAAARecord(name(host), DClass.IN, ttl, inet(address)));
  }

  public LoopbackDnsServer cname(String alias, String target, long ttl) {
    return add(new CNAMERecord(name(alias), DClass.IN, ttl, name(target)));
  }

  /** Makes {@code name} exist without any record of the types asked in these tests. */
  public LoopbackDnsServer exists(String domain) {
    records.computeIfAbsent(name(domain), n -> new CopyOnWriteArrayList<>());
    return this;
  }

  /** Negative answers from now on carry this SOA in the authority section (RFC 2308 section 3). */
  public LoopbackDnsServer negativeSoa(long soaTtl, long minimum) {
    negativeSoa =
        new SOARecord(
            name("test"),
            DClass.IN,
            soaTtl,
            name("ns.test"),
            name("hostmaster.test"),
            1,
            3600,
            600,
            86400,
            minimum);
    return this;
  }

  /** Answers every query for {@code domain} with SERVFAIL. */
  public LoopbackDnsServer servfail(String domain) {
    failing.add(name(domain));
    return this;
  }

  /** Answers {@code domain} normally again after {@link #servfail}. */
  public LoopbackDnsServer recover(String domain) {
    failing.remove(name(domain));
    return this;
  }

  /** Holds every answer for {@code domain} until the returned latch is counted down. */
  public CountDownLatch hold(String domain) {
    return gates.computeIfAbsent(name(domain), n -> new CountDownLatch(1));
  }

  public int queries(String domain, int type) {
    AtomicInteger count = queryCounts.get(key(name(domain), type));
    return count == null ? 0 : count.get();
  }

  public int totalQueries() {
    return totalQueries.get();
  }

  /** Failures inside the server (unparseable queries, send errors); a test expects none. */
  public List<Throwable> errors() {
    return List.copyOf(errors);
  }

  @Override
  public void close() throws InterruptedException {
    socket.close();
    gates.values().forEach(CountDownLatch::countDown);
    receiver.join(TimeUnit.SECONDS.toMillis(5));
  }

  private LoopbackDnsServer add(Record record) {
    records.computeIfAbsent(record.getName(), n -> new CopyOnWriteArrayList<>()).add(record);
    return this;
  }

  private void receiveLoop() {
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(new byte[1500], 1500);
      try {
        socket.receive(packet);
      } catch (IOException e) {
        if (!socket.isClosed()) {
          errors.add(e);
        }
        return;
      }
      byte[] query = Arrays.copyOf(packet.getData(), packet.getLength());
      InetSocketAddress client = (InetSocketAddress) packet.getSocketAddress();
      // A virtual thread per query, so a held answer does not stall the others.
      Thread.ofVirtual().name("loopback-dns-query").start(() -> answer(query, client));
    }
  }

  private void answer(byte[] wire, InetSocketAddress client) {
    try {
      Message query = new Message(wire);
      Record question = query.getQuestion();
      Name name = question.getName();
      int type = question.getType();
      queryCounts.computeIfAbsent(key(name, type), k -> new AtomicInteger()).incrementAndGet();
      totalQueries.incrementAndGet();
      CountDownLatch gate = gates.get(name);
      if (gate != null) {
        gate.await();
      }
      byte[] reply = reply(query, name, type).toWire();
      if (!socket.isClosed()) {
        socket.send(new DatagramPacket(reply, reply.length, client));
      }
    } catch (IOException | RuntimeException e) {
      if (!socket.isClosed()) {
        errors.add(e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Message reply(Message query, Name name, int type) {
    Message reply = new Message(query.getHeader().getID());
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setFlag(Flags.RA);
    if (query.getHeader().getFlag(Flags.RD)) {
      reply.getHeader().setFlag(Flags.RD);
    }
    reply.addRecord(query.getQuestion(), Section.QUESTION);
    if (failing.contains(name)) {
      reply.getHeader().setRcode(Rcode.SERVFAIL);
      return reply;
    }
    Name owner = name;
    for (int hop = 0; hop < 10; hop++) {
      List<Record> atOwner = records.get(owner);
      if (atOwner == null) {
        reply.getHeader().setRcode(Rcode.NXDOMAIN);
        addNegativeSoa(reply);
        return reply;
      }
      List<Record> matching = new ArrayList<>();
      CNAMERecord alias = null;
      for (Record record : atOwner) {
        if (record.getType() == type) {
          matching.add(record);
        } else if (record instanceof CNAMERecord cname) {
          alias = cname;
        }
      }
      if (!matching.isEmpty()) {
        matching.forEach(record -> reply.addRecord(record, Section.ANSWER));
        return reply;
      }
      if (alias == null) {
        addNegativeSoa(reply);
        return reply;
      }
      reply.addRecord(alias, Section.ANSWER);
      owner = alias.getTarget();
    }
    reply.getHeader().setRcode(Rcode.SERVFAIL);
    return reply;
  }

  private void addNegativeSoa(Message reply) {
    SOARecord soa = negativeSoa;
    if (soa != null) {
      reply.addRecord(soa, Section.AUTHORITY);
    }
  }

  private static String key(Name name, int type) {
    return name.toString().toLowerCase(Locale.ROOT) + "/" + Type.string(type);
  }

  public static Name name(String domain) {
    try {
      return Name.fromString(domain, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static InetAddress inet(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (IOException e) {
      throw new IllegalArgumentException("not an IP literal: " + literal, e);
    }
  }
}
