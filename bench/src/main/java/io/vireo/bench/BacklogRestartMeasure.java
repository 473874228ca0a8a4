package io.vireo.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures a relay restart on a large backlog: how long {@code bin/vireo serve} takes from process
 * start to its "vireo ready" line and to the first {@code 250} for a new message, and the memory and
 * CPU the JVM then uses while the backlog is pending.
 *
 * <p>Fill the spool first ({@link SpoolRecoveryMeasure} with a directory argument keeps it), write a
 * config whose {@code spool.dir} is that directory and whose route leads nowhere, then run (from the
 * repository root, JDK 25):
 *
 * <pre>
 * java -cp 'bench/target/vireo-bench.jar:bench/target/lib/*' io.vireo.bench.BacklogRestartMeasure \
 *   CONFIG.yaml SMTP_PORT [observe-seconds]
 * </pre>
 *
 * {@code VIREO_JAVA_OPTS} is passed on to the relay. The relay's log goes to {@code
 * /tmp/vireo-backlog-relay.log}; the measure counts its lines and the "status=deferred" ones. It
 * stops the relay (SIGTERM, then SIGKILL after 30 s) before it exits.
 */
public final class BacklogRestartMeasure {
  private static final Duration READY_DEADLINE = Duration.ofMinutes(5);
  private static final Duration SMTP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration RETRY_PAUSE = Duration.ofMillis(100);
  private static final Path RELAY_LOG = Path.of("/tmp/vireo-backlog-relay.log");

  private BacklogRestartMeasure() {}

  public static void main(String[] args) throws Exception {
    Path config = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    int observeSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    long start = System.nanoTime();
    Process relay =
        new ProcessBuilder("bin/vireo", "serve", "--config", config.toString())
            .redirectErrorStream(true)
            .start();
    AtomicLong readyNanos = new AtomicLong(-1);
    LongAdder lines = new LongAdder();
    LongAdder deferred = new LongAdder();
    Thread reader =
        Thread.ofPlatform()
            .daemon()
            .start(() -> copyLog(relay.getInputStream(), start, readyNanos, lines, deferred));
    try {
      long pid = relay.pid();
      long acceptedNanos = firstAccepted(port, start, relay);
      System.out.printf(
          "pid %d: ready after %.2f s, first 250 after %.2f s%n",
          pid, seconds(readyNanos.get()), seconds(acceptedNanos));
      report("at first 250", pid, lines, deferred, start);
      System.out.println("heap after a full GC: " + heapAfterGc(pid));
      long observeUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(observeSeconds);
      for (int i = 1; System.nanoTime() < observeUntil && relay.isAlive(); i++) {
        Thread.sleep(Math.min(10_000, TimeUnit.NANOSECONDS.toMillis(observeUntil - System.nanoTime())));
        report("observing", pid, lines, deferred, start);
      }
      long sendStart = System.nanoTime();
      String reply = sendOne(port);
      System.out.printf(
          "a message at the end: %s in %.0f ms%n",
          reply, (System.nanoTime() - sendStart) / 1e6);
      System.out.println("heap after a full GC: " + heapAfterGc(pid));
      report("at the end", pid, lines, deferred, start);
    } finally {
      relay.destroy();
      if (!relay.waitFor(30, TimeUnit.SECONDS)) {
        relay.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      reader.join(Duration.ofSeconds(5));
      System.out.printf(
          "relay stopped after %.1f s: %,d log lines, %,d deferred%n",
          (System.nanoTime() - start) / 1e9, lines.sum(), deferred.sum());
    }
  }

  private static void copyLog(
      InputStream in, long start, AtomicLong readyNanos, LongAdder lines, LongAdder deferred) {
    try (BufferedReader log =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        var out = Files.newBufferedWriter(RELAY_LOG)) {
      for (String line = log.readLine(); line != null; line = log.readLine()) {
        lines.increment();
        if (line.contains("status=deferred")) {
          deferred.increment();
        }
        if (readyNanos.get() < 0 && line.contains("vireo ready")) {
          readyNanos.set(System.nanoTime() - start);
        }
        out.write(line);
        out.newLine();
      }
    } catch (IOException e) {
      System.err.println("relay log: " + e);
    }
  }

  /** Sends test messages until one gets a 250; returns the nanos from start to that reply. */
  private static long firstAccepted(int port, long start, Process relay) throws Exception {
    long deadline = start + READY_DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      if (!relay.isAlive()) {
        throw new IllegalStateException("the relay exited with " + relay.exitValue());
      }
      try {
        String reply = sendOne(port);
        if (reply.startsWith("250")) {
          return System.nanoTime() - start;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(RETRY_PAUSE);
    }
    throw new IllegalStateException("no 250 within " + READY_DEADLINE);
  }

  /** One SMTP transaction; returns the reply to the end of DATA. */
  private static String sendOne(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) SMTP_TIMEOUT.toMillis());
      socket.setSoTimeout((int) SMTP_TIMEOUT.toMillis());
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = socket.getOutputStream();
      reply(in);
      for (String command :
          List.of(
              "EHLO measure.local", "MAIL FROM:<probe@example.org>", "RCPT TO:<probe@example.com>")) {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String reply = reply(in);
        if (!reply.startsWith("2")) {
          return reply;
        }
      }
      out.write("DATA\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String go = reply(in);
      if (!go.startsWith("354")) {
        return go;
      }
      out.write(
          "Subject: backlog probe\r\n\r\nprobe\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String done = reply(in);
      out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return done;
    }
  }

  /** The last line of a (possibly multi-line) reply. */
  private static String reply(BufferedReader in) throws IOException {
    while (true) {
      String line = in.readLine();
      if (line == null) {
        throw new IOException("connection closed");
      }
      if (line.length() < 4 || line.charAt(3) != '-') {
        return line;
      }
    }
  }

  private static void report(String when, long pid, LongAdder lines, LongAdder deferred, long start)
      throws IOException {
    String status = Files.readString(Path.of("/proc/" + pid + "/status"));
    String[] stat = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
    // utime and stime are fields 14 and 15 of /proc/PID/stat, in clock ticks (100 per second here).
    double cpu = (Long.parseLong(stat[11]) + Long.parseLong(stat[12])) / 100.0;
    System.out.printf(
        "%6.1f s %-13s RSS %s, peak %s, CPU %.1f s, log lines %,d (deferred %,d)%n",
        (System.nanoTime() - start) / 1e9,
        when,
        field(status, "VmRSS"),
        field(status, "VmHWM"),
        cpu,
        lines.sum(),
        deferred.sum());
  }

  private static String field(String status, String name) {
    return status
        .lines()
        .filter(l -> l.startsWith(name + ":"))
        .map(l -> l.substring(name.length() + 1).trim())
        .findFirst()
        .orElse("?");
  }

  /** Runs a full GC in the relay and returns the heap summary line of {@code GC.heap_info}. */
  private static String heapAfterGc(long pid) throws Exception {
    jcmd(pid, "GC.run");
    return jcmd(pid, "GC.heap_info")
        .lines()
        .filter(l -> l.contains("total") && l.contains("used"))
        .findFirst()
        .orElse("?")
        .trim();
  }

  private static String jcmd(long pid, String command) throws Exception {
    Process jcmd =
        new ProcessBuilder(
                "/usr/lib/jvm/temurin-25-jdk-amd64/bin/jcmd", Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    String text = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
      jcmd.destroyForcibly();
    }
    return text;
  }

  private static double seconds(long nanos) {
    return nanos < 0 ? Double.NaN : nanos / 1e9;
  }
}
