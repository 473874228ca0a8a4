package io.vireo.bench.load;

import io.vireo.bench.cli.ByteSizes;
import io.vireo.bench.cli.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code bin/bench load} command: an SMTP load generator in the spirit of Postfix's smtp-source.
 * Prints the report as text (or JSON with {@code --json}); exits 0 only if every measured message was
 * accepted.
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Send SMTP load and report throughput and end-of-data latency.")
public final class LoadCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server (default ${DEFAULT-VALUE}).")
  private String host;

  @Option(names = "--port", defaultValue = "2525", description = "SMTP port (default ${DEFAULT-VALUE}).")
  private int port;

  @Option(
      names = "--connections",
      defaultValue = "50",
      description = "Concurrent client connections (default ${DEFAULT-VALUE}).")
  private int connections;

  @Option(
      names = "--messages",
      defaultValue = "10000",
      description = "Messages to measure (default ${DEFAULT-VALUE}).")
  private long messages;

  @Option(
      names = "--size",
      defaultValue = "4096",
      converter = ByteSizes.Converter.class,
      description = "Message size incl. headers: 4096, 4KB, 1MB (default ${DEFAULT-VALUE}).")
  private long size;

  @Option(
      names = "--recipients",
      defaultValue = "1",
      description = "Recipients per message (default ${DEFAULT-VALUE}).")
  private int recipients;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  private ConnectionMode connectionMode = new ConnectionMode();

  @Option(
      names = "--pipelining",
      description = "Send MAIL/RCPT/DATA in one write when the server offers PIPELINING.")
  private boolean pipelining;

  @Option(
      names = "--starttls",
      description =
          "Upgrade every connection with STARTTLS (TLS 1.3) before its first message; any server"
              + " certificate is trusted (a benchmark tool, not a mail client).")
  private boolean starttls;

  @Option(
      names = "--warmup",
      defaultValue = "0",
      description = "Messages sent first and not counted (default ${DEFAULT-VALUE}).")
  private long warmup;

  @Option(
      names = "--timeout",
      defaultValue = "30s",
      converter = Durations.Converter.class,
      description = "Bound on connecting and on each reply (default ${DEFAULT-VALUE}).")
  private Duration timeout;

  @Option(
      names = "--duration-limit",
      defaultValue = "10m",
      converter = Durations.Converter.class,
      description = "Stop the whole run after this long (default ${DEFAULT-VALUE}).")
  private Duration durationLimit;

  @Option(
      names = "--mix",
      converter = SizeMix.Converter.class,
      description = "Share of messages of another size, e.g. 1MB:1%%.")
  private SizeMix mix;

  @Option(
      names = "--threads",
      defaultValue = "virtual",
      converter = ThreadKindConverter.class,
      description = "virtual or platform threads for the connections (default ${DEFAULT-VALUE}).")
  private ThreadKind threads;

  @Option(names = "--json", description = "Print the report as one JSON object.")
  private boolean json;

  @Option(
      names = "--from",
      defaultValue = "bench@vireo-bench.test",
      description = "Envelope sender (default ${DEFAULT-VALUE}).")
  private String from;

  @Option(
      names = "--to-domain",
      defaultValue = "example.test",
      description = "Recipients are u1..uR@DOMAIN (default ${DEFAULT-VALUE}).")
  private String toDomain;

  @Option(
      names = "--helo",
      defaultValue = "client.vireo-bench.test",
      description = "EHLO name (default ${DEFAULT-VALUE}).")
  private String helo;

  /** Postfix's smtp-source measures both ways, so the tool offers both; reuse is the default. */
  static final class ConnectionMode {
    @Option(names = "--reuse", description = "Send many messages per connection (default).")
    boolean reuse;

    @Option(
        names = "--new-connection-per-message",
        description = "Open, use and QUIT a connection for every message.")
    boolean newConnectionPerMessage;
  }

  /** Accepts the thread kind in any case ("virtual", "PLATFORM"). */
  static final class ThreadKindConverter implements CommandLine.ITypeConverter<ThreadKind> {
    @Override
    public ThreadKind convert(String value) {
      return ThreadKind.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new LoadCommand()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    LoadOptions options;
    LoadReport report;
    try {
      options =
          LoadOptions.builder()
              .host(host)
              .port(port)
              .connections(connections)
              .messages(messages)
              .size(size)
              .recipients(recipients)
              .reuseConnections(!connectionMode.newConnectionPerMessage)
              .pipelining(pipelining)
              .starttls(starttls)
              .warmup(warmup)
              .replyTimeout(timeout)
              .durationLimit(durationLimit)
              .mix(mix)
              .from(from)
              .toDomain(toDomain)
              .helo(helo)
              .threads(threads)
              .build();
      // Rendering the messages can still refuse the options (a size too small for the headers).
      report = new LoadGenerator(options).run();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(ReportFormat.json(options, report));
    } else {
      out.print(ReportFormat.text(options, report));
    }
    out.flush();
    return report.accepted() == options.messages() ? 0 : 1;
  }
}
