package io.vireo.relay.testing;

import io.vireo.mailbox.testing.ExternalTool;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A real dnsmasq (Debian's {@code dnsmasq-base}) answering on 127.0.0.1 and a free high port from
 * the records it is given, for tests that need a DNS server other than our own code. Every name
 * under {@code .test} is answered locally: a name without records is NXDOMAIN, never forwarded
 * (dnsmasq reads no resolv.conf and no hosts file).
 *
 * <pre>{@code
 * try (Dnsmasq dns = Dnsmasq.start(dir, List.of(
 *     Dnsmasq.mx("example.test", "mx1.example.test", 10),
 *     Dnsmasq.host("mx1.example.test", "127.0.0.3"),
 *     Dnsmasq.nullMx("nullmx.test")))) {
 *   ... resolve against dns.address() ...
 * }
 * }</pre>
 *
 * <p>When dnsmasq is not installed, {@link #start} fails the calling test in CI ({@code CI=true})
 * and skips it elsewhere.
 */
public final class Dnsmasq implements AutoCloseable {
  private static final Duration STARTUP_DEADLINE = Duration.ofSeconds(15);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
  private static final int START_ATTEMPTS = 3;
  private static final int PORT_PROBES = 20;

  private final Process process;
  private final InetSocketAddress address;
  private final Path logFile;

  private Dnsmasq(Process process, InetSocketAddress address, Path logFile) {
    this.process = process;
    this.address = address;
    this.logFile = logFile;
  }

  /** An MX record: mail for {@code domain} goes to {@code exchange} with this preference. */
  public static String mx(String domain, String exchange, int preference) {
    return "--mx-host=" + domain + "," + exchange + "," + preference;
  }

  /** An A record (and its PTR). */
  public static String host(String name, String ipv4) {
    return "--host-record=" + name + "," + ipv4;
  }

  /** A TXT record. */
  public static String txt(String name, String text) {
    return "--txt-record=" + name + "," + text;
  }

  /** RFC 7505's null MX {@code 0 .}: type 15 with preference 0 and the root name as RDATA. */
  public static String nullMx(String domain) {
    return "--dns-rr=" + domain + ",15,000000";
  }

  /**
   * Starts dnsmasq with {@code records} (dnsmasq options such as {@link #mx} and {@link #host}
   * build) and returns once it answers queries. Its log goes to a file in {@code workDir}.
   *
   * @throws IllegalStateException if it does not answer within the start-up deadline
   */
  public static Dnsmasq start(Path workDir, List<String> records) throws IOException {
    Path binary = ExternalTool.require("dnsmasq", "dnsmasq-base");
    Path logFile = Files.createTempFile(workDir, "dnsmasq-", ".log");
    // The port is free when chosen but could be taken before dnsmasq binds it: a few tries.
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int port = freeUdpAndTcpPort();
      Process process =
          new ProcessBuilder(command(binary, port, records))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
      if (answers(process, address)) {
        return new Dnsmasq(process, address, logFile);
      }
      stop(process);
    }
    throw new IllegalStateException(
        "dnsmasq did not start answering on loopback; its log:\n" + readLog(logFile));
  }

  /** Where dnsmasq answers (UDP and TCP). */
  public InetSocketAddress address() {
    return address;
  }

  /** The address as {@code delivery.dns.servers} takes it: {@code 127.0.0.1:PORT}. */
  public String hostPort() {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  /** What dnsmasq printed, for failure messages. */
  public String log() {
    return readLog(logFile);
  }

  @Override
  public void close() {
    stop(process);
  }

  private static List<String> command(Path binary, int port, List<String> records) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(
        List.of(
            "--keep-in-foreground",
            "--no-resolv",
            "--no-hosts",
            "--conf-file=/dev/null",
            "--pid-file=",
            "--log-facility=-",
            "--port=" + port,
            "--listen-address=127.0.0.1",
            "--bind-interfaces",
            // Answer everything under .test from local data: NXDOMAIN instead of REFUSED for
            // names without records.
            "--local=/test/",
            "--local-ttl=300"));
    command.addAll(records);
    return command;
  }

  private static int freeUdpAndTcpPort() throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int probe = 0; probe < PORT_PROBES; probe++) {
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
        int port = udp.getLocalPort();
        try (ServerSocket tcp = new ServerSocket(port, 1, loopback)) {
          return port;
        } catch (IOException tcpTaken) {
          // dnsmasq needs the TCP port too; pick another.
        }
      }
    }
    throw new IOException("no port free for both UDP and TCP on loopback");
  }

  /**
   * Polls with a query until any answer comes back (NXDOMAIN included: that is dnsmasq speaking),
   * the process exits, or the start-up deadline passes.
   */
  private static boolean answers(Process process, InetSocketAddress target) throws IOException {
    long deadline = System.nanoTime() + STARTUP_DEADLINE.toNanos();
    Message query =
        Message.newQuery(
            Record.newRecord(Name.fromString("dnsmasq-probe.test."), Type.A, DClass.IN));
    byte[] wire = query.toWire();
    try (DatagramSocket socket =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      socket.setSoTimeout(200);
      while (System.nanoTime() - deadline < 0 && process.isAlive()) {
        socket.send(new DatagramPacket(wire, wire.length, target));
        DatagramPacket reply = new DatagramPacket(new byte[1500], 1500);
        try {
          socket.receive(reply);
          Message message = new Message(Arrays.copyOf(reply.getData(), reply.getLength()));
          if (message.getHeader().getID() == query.getHeader().getID()) {
            return true;
          }
        } catch (SocketTimeoutException | PortUnreachableException notYet) {
          // Not listening yet: ask again until the deadline.
        }
      }
    }
    return false;
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String readLog(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
