package io.vireo.bench.sink;

import io.vireo.bench.cli.Durations;
import io.vireo.bench.cli.HostPorts;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code bin/bench sink} command: runs a {@link SmtpSink} and prints a {@code status} line per
 * report interval, so a harness can follow the counts on stdout. With {@code --expect N} it exits 0
 * once N messages arrived, after a {@code done} line with the first-to-last rate; it always stops
 * after {@code --max-duration} (exit 1 if an expected count was not reached).
 */
@Command(
    name = "sink",
    mixinStandardHelpOptions = true,
    description = "SMTP server that accepts and counts mail (like Postfix's smtp-sink).")
public final class SinkCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--listen",
      defaultValue = "127.0.0.1:2526",
      converter = HostPorts.Converter.class,
      description = "host:port to listen on (default ${DEFAULT-VALUE}).")
  private InetSocketAddress listen;

  @Option(
      names = "--expect",
      defaultValue = "0",
      description = "Exit 0 once this many messages arrived (0: run until --max-duration).")
  private long expect;

  @Option(
      names = "--report-interval",
      defaultValue = "1s",
      converter = Durations.Converter.class,
      description = "Print a status line this often; 0s for none (default ${DEFAULT-VALUE}).")
  private Duration reportInterval;

  @Option(
      names = "--max-duration",
      defaultValue = "1h",
      converter = Durations.Converter.class,
      description = "Stop by itself after this long (default ${DEFAULT-VALUE}).")
  private Duration maxDuration;

  @Option(
      names = "--chunking",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Advertise CHUNKING and accept BDAT (default ${DEFAULT-VALUE}).")
  private boolean chunking;

  @Option(
      names = "--max-connections",
      defaultValue = "10000",
      description = "Concurrent connections served (default ${DEFAULT-VALUE}).")
  private int maxConnections;

  @Option(
      names = "--idle-timeout",
      defaultValue = "5m",
      converter = Durations.Converter.class,
      description = "Hang up on a client silent this long (default ${DEFAULT-VALUE}).")
  private Duration idleTimeout;

  @Option(
      names = "--hostname",
      defaultValue = "sink.vireo-bench.test",
      description = "Name in the greeting and EHLO reply (default ${DEFAULT-VALUE}).")
  private String hostname;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SinkCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    SinkOptions options =
        SinkOptions.listeningOn(listen)
            .withHostname(hostname)
            .withChunking(chunking)
            .withMaxConnections(maxConnections)
            .withIdleTimeout(idleTimeout);
    try (SmtpSink sink = new SmtpSink(options).start()) {
      long start = System.nanoTime();
      AtomicBoolean finished = new AtomicBoolean();
      // A harness usually ends the sink with SIGTERM: leave the final counts on stdout even then.
      Thread finalReport =
          Thread.ofPlatform()
              .unstarted(
                  () -> {
                    if (finished.compareAndSet(false, true)) {
                      out.println(statusLine(sink, start, System.nanoTime(), 0, 0) + " (terminated)");
                      out.flush();
                    }
                  });
      Runtime.getRuntime().addShutdownHook(finalReport);
      out.printf("sink listening on %s%n", formatAddress(sink.address()));
      out.flush();
      int exitCode = serve(sink, out, start);
      if (finished.compareAndSet(false, true)) {
        Runtime.getRuntime().removeShutdownHook(finalReport);
      }
      return exitCode;
    }
  }

  private int serve(SmtpSink sink, PrintWriter out, long start) throws InterruptedException {
    long deadline = start + maxDuration.toNanos();
    long reportEvery = reportInterval.toNanos();
    long previousAt = start;
    long previousMessages = 0;
    while (true) {
      long now = System.nanoTime();
      if (expect > 0 && sink.messages() >= expect) {
        out.println(statusLine(sink, start, now, previousMessages, now - previousAt));
        out.println(doneLine(sink));
        out.flush();
        return 0;
      }
      if (now - deadline >= 0) {
        out.println(statusLine(sink, start, now, previousMessages, now - previousAt));
        out.printf("stopped after --max-duration %s%n", maxDuration);
        out.flush();
        return expect > 0 ? 1 : 0;
      }
      long nextReport = reportEvery > 0 ? Math.min(previousAt + reportEvery, deadline) : deadline;
      long target = expect > 0 ? expect : Long.MAX_VALUE;
      sink.awaitMessages(target, Duration.ofNanos(Math.max(1, nextReport - now)));
      now = System.nanoTime();
      if (reportEvery > 0 && now - (previousAt + reportEvery) >= 0) {
        out.println(statusLine(sink, start, now, previousMessages, now - previousAt));
        out.flush();
        previousMessages = sink.messages();
        previousAt = now;
      }
    }
  }

  /** One parseable progress line: {@code status elapsed=.. messages=.. ... rate=../s}. */
  static String statusLine(
      SmtpSink sink, long start, long now, long previousMessages, long nanosSincePrevious) {
    SinkSnapshot snapshot = sink.snapshot();
    double rate =
        nanosSincePrevious <= 0
            ? 0
            : (snapshot.messages() - previousMessages) * 1e9 / nanosSincePrevious;
    return String.format(
        Locale.ROOT,
        "status elapsed=%.3fs messages=%d recipients=%d bytes=%d connections=%d open=%d"
            + " rate=%.1f/s",
        (now - start) / 1e9,
        snapshot.messages(),
        snapshot.recipients(),
        snapshot.bytes(),
        snapshot.connectionsOpened(),
        snapshot.connectionsOpen(),
        rate);
  }

  private static String doneLine(SmtpSink sink) {
    SinkSnapshot snapshot = sink.snapshot();
    return String.format(
        Locale.ROOT,
        "done messages=%d first_to_last=%.3fs rate=%.1f/s messages_per_closed_connection=%s",
        snapshot.messages(),
        snapshot.firstToLast().toNanos() / 1e9,
        snapshot.messagesPerSecondFirstToLast(),
        sink.messagesPerConnection());
  }

  private static String formatAddress(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
