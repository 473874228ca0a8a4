package io.vireo.bench.idle;

import io.vireo.bench.cli.Durations;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code bin/bench idle} command: opens many SMTP sessions, takes each past EHLO and holds them
 * all idle until {@code --hold} expires or the process is terminated, to measure what idle sessions
 * cost a server. Prints {@code progress} lines while opening, one {@code idle: N open, M failed} line
 * once every session opened or failed, and a {@code done} line at the end. Exits 0 when every
 * session opened and none was dropped by the server.
 */
@Command(
    name = "idle",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Open many SMTP sessions, send EHLO and hold them idle.")
public final class IdleCommand implements Callable<Integer> {
  /** Bound on the shutdown hook waiting for the main thread to close the sessions. */
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(40);

  @Spec private CommandSpec spec;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server (default ${DEFAULT-VALUE}).")
  private String host;

  @Option(names = "--port", defaultValue = "2525", description = "SMTP port (default ${DEFAULT-VALUE}).")
  private int port;

  @Option(
      names = "--connections",
      defaultValue = "10000",
      description = "Sessions to open and hold (default ${DEFAULT-VALUE}).")
  private int connections;

  @Option(
      names = "--hold",
      defaultValue = "5m",
      converter = Durations.Converter.class,
      description = "How long to hold them once all are open (default ${DEFAULT-VALUE}).")
  private Duration hold;

  @Option(
      names = "--ramp-rate",
      defaultValue = "2000/s",
      converter = RampRate.Converter.class,
      description = "New connections per second, or unlimited (default ${DEFAULT-VALUE}).")
  private RampRate rampRate;

  @Option(
      names = "--timeout",
      defaultValue = "30s",
      converter = Durations.Converter.class,
      description = "Bound on connecting and on each reply (default ${DEFAULT-VALUE}).")
  private Duration timeout;

  @Option(
      names = "--open-limit",
      defaultValue = "10m",
      converter = Durations.Converter.class,
      description = "Bound on the whole opening phase (default ${DEFAULT-VALUE}).")
  private Duration openLimit;

  @Option(
      names = "--source",
      split = ",",
      description =
          "Local addresses to connect from in turn, e.g. 127.0.0.2,127.0.0.3 (default: kernel's"
              + " choice). Each gives its own ~28,000 ephemeral ports toward the server.")
  private List<String> sources = new ArrayList<>();

  @Option(
      names = "--report-interval",
      defaultValue = "1s",
      converter = Durations.Converter.class,
      description = "A progress line this often (default ${DEFAULT-VALUE}).")
  private Duration reportInterval;

  @Option(
      names = "--helo",
      defaultValue = "idle.vireo-bench.test",
      description = "EHLO name (default ${DEFAULT-VALUE}).")
  private String helo;

  public static void main(String[] args) {
    System.exit(new CommandLine(new IdleCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    IdleOptions options;
    try {
      if (reportInterval.isNegative() || reportInterval.isZero()) {
        throw new IllegalArgumentException("--report-interval must be positive");
      }
      options =
          new IdleOptions(
              host, port, connections, rampRate, timeout, helo, parseSources(sources));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    // SIGTERM ends the hold early; the hook waits (bounded) for the sessions to be closed cleanly.
    Thread onTerminate =
        Thread.ofPlatform()
            .unstarted(
                () -> {
                  stop.countDown();
                  try {
                    finished.await(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    Runtime.getRuntime().addShutdownHook(onTerminate);
    try {
      return run(options, out, stop);
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(onTerminate);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down: the hook is running and has been released above.
      }
    }
  }

  private int run(IdleOptions options, PrintWriter out, CountDownLatch stop)
      throws InterruptedException {
    long start = System.nanoTime();
    IdleFleet fleet = new IdleFleet(options).start();
    try {
      out.printf(
          Locale.ROOT,
          "opening %d sessions to %s:%d at %s%n",
          options.connections(),
          options.host(),
          options.port(),
          options.rampRate());
      out.flush();
      long openDeadline = start + openLimit.toNanos();
      boolean settled = false;
      while (!settled && stop.getCount() > 0) {
        long left = openDeadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        settled = fleet.awaitSettled(Duration.ofNanos(Math.min(left, reportInterval.toNanos())));
        out.println(progressLine(fleet.snapshot(), start));
        out.flush();
      }
      IdleSnapshot opened = fleet.snapshot();
      if (!settled) {
        out.printf(
            Locale.ROOT,
            "opening stopped early (%s): %d attempts unanswered%n",
            stop.getCount() == 0 ? "terminated" : "--open-limit " + openLimit,
            opened.requested() - opened.opened() - opened.failed());
      }
      out.printf(Locale.ROOT, "idle: %d open, %d failed%n", opened.open(), opened.failed());
      if (opened.failed() > 0) {
        out.println("failures: " + opened.failuresText());
      }
      out.flush();
      boolean terminated = !settled || stop.await(hold.toMillis(), TimeUnit.MILLISECONDS);
      IdleSnapshot end = fleet.snapshot();
      out.printf(
          Locale.ROOT,
          "done: held %d open at the end, %d dropped by the server, %s%n",
          end.open(),
          end.dropped(),
          terminated ? "stopped early" : "hold " + hold + " expired");
      out.flush();
      return end.settled() && end.failed() == 0 && end.dropped() == 0 ? 0 : 1;
    } finally {
      fleet.close();
    }
  }

  static String progressLine(IdleSnapshot snapshot, long start) {
    return String.format(
        Locale.ROOT,
        "progress elapsed=%.1fs opened=%d failed=%d open=%d dropped=%d",
        (System.nanoTime() - start) / 1e9,
        snapshot.opened(),
        snapshot.failed(),
        snapshot.open(),
        snapshot.dropped());
  }

  private static List<InetAddress> parseSources(List<String> sources) {
    List<InetAddress> addresses = new ArrayList<>();
    for (String source : sources) {
      String trimmed = source.strip();
      // Only literal addresses: a bench tool should not resolve names to pick its source.
      if (!trimmed.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
        throw new IllegalArgumentException("--source takes IP addresses, got '" + source + "'");
      }
      try {
        addresses.add(InetAddress.getByName(trimmed));
      } catch (java.net.UnknownHostException e) {
        throw new IllegalArgumentException("not an IP address: '" + source + "'", e);
      }
    }
    return addresses;
  }
}
