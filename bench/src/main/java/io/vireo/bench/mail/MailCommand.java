package io.vireo.bench.mail;

import io.vireo.bench.cli.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code bin/bench mail} command: IMAP and POP3 load for the mailbox side of the comparison
 * harness (bench/compare/run.sh, Vireo against Dovecot). Prints one JSON object per run; exits 0
 * when the workload completed and every answer was complete, 1 otherwise.
 */
@Command(
    name = "mail",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Time IMAP/POP3 workloads against a mailbox server and print one JSON report.",
      "  envelopes  FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE), --repeat times on one session",
      "  bodies     UID FETCH 1:* BODY.PEEK[], --repeat times",
      "  search     SEARCH with each --search criteria, --repeat times",
      "  retr       POP3 RETR of every message (no DELE), --repeat times",
      "  clients    --connections sessions, each repeating SELECT + FETCH of --range messages",
      "  idle       --sessions logged-in, SELECTed sessions held until standard input ends"
    })
public final class MailCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(index = "0", description = "envelopes, bodies, search, retr, clients or idle")
  private String workload;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server (default ${DEFAULT-VALUE}).")
  private String host;

  @Option(names = "--port", required = true, description = "IMAP port (POP3 port for retr).")
  private int port;

  @Option(names = "--user", required = true, description = "Login name.")
  private String user;

  @Option(names = "--password", required = true, description = "Password.")
  private String password;

  @Option(names = "--mailbox", defaultValue = "INBOX", description = "Mailbox (default ${DEFAULT-VALUE}).")
  private String mailbox;

  @Option(names = "--repeat", defaultValue = "3", description = "Timed repeats (default ${DEFAULT-VALUE}).")
  private int repeat;

  @Option(names = "--search", description = "SEARCH criteria, e.g. 'FROM \"x\"' (repeatable).")
  private List<String> searches = List.of();

  @Option(names = "--connections", defaultValue = "50", description = "clients: sessions (default ${DEFAULT-VALUE}).")
  private int connections;

  @Option(
      names = "--warmup",
      defaultValue = "5s",
      converter = Durations.Converter.class,
      description = "clients: unrecorded time first (default ${DEFAULT-VALUE}).")
  private Duration warmup;

  @Option(
      names = "--duration",
      defaultValue = "20s",
      converter = Durations.Converter.class,
      description = "clients: measured time (default ${DEFAULT-VALUE}).")
  private Duration duration;

  @Option(names = "--range", defaultValue = "100", description = "clients: messages per FETCH (default ${DEFAULT-VALUE}).")
  private int range;

  @Option(
      names = "--items",
      defaultValue = "(UID FLAGS RFC822.SIZE ENVELOPE)",
      description = "clients: FETCH items (default ${DEFAULT-VALUE}).")
  private String items;

  @Option(names = "--sessions", defaultValue = "1000", description = "idle: sessions (default ${DEFAULT-VALUE}).")
  private int sessions;

  @Option(names = "--parallel", defaultValue = "8", description = "idle: sessions opened at once (default ${DEFAULT-VALUE}).")
  private int parallel;

  @Option(
      names = "--timeout",
      defaultValue = "120s",
      converter = Durations.Converter.class,
      description = "Bound on connecting and on each response (default ${DEFAULT-VALUE}).")
  private Duration timeout;

  public static void main(String[] args) {
    System.exit(new CommandLine(new MailCommand()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> report;
    try {
      MailTarget target = new MailTarget(new InetSocketAddress(host, port), user, password, mailbox, timeout);
      report = switch (workload.toLowerCase(Locale.ROOT)) {
        case "envelopes" -> session(target, SessionWorkload.Kind.ENVELOPES).run();
        case "bodies" -> session(target, SessionWorkload.Kind.BODIES).run();
        case "search" -> session(target, SessionWorkload.Kind.SEARCH).run();
        case "retr" -> session(target, SessionWorkload.Kind.RETR).run();
        case "clients" -> new ClientFleet(target, connections, warmup, duration, range, items).run();
        case "idle" -> new IdleSessions(target, sessions, parallel).run(out, System.in);
        default -> throw new IllegalArgumentException("unknown workload '" + workload + "'");
      };
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    } catch (IOException e) {
      out.println(Json.of(Map.of("workload", workload, "error", e.toString())));
      out.flush();
      return 1;
    }
    out.println(Json.of(report));
    out.flush();
    boolean failed = report.getOrDefault("errors", 0L) instanceof Long errors && errors > 0
        || report.getOrDefault("failed", 0) instanceof Integer f && f > 0;
    return failed ? 1 : 0;
  }

  private SessionWorkload session(MailTarget target, SessionWorkload.Kind kind) {
    return new SessionWorkload(target, kind, searches, repeat);
  }
}
