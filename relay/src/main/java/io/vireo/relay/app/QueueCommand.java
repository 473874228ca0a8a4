package io.vireo.relay.app;

import io.vireo.config.ConfigException;
import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.Spool;
import io.vireo.queue.SpoolException;
import io.vireo.queue.StoredMessage;
import io.vireo.queue.chronicle.ChronicleSpool;
import io.vireo.relay.admin.QueueFilter;
import io.vireo.relay.admin.QueueJson;
import io.vireo.relay.app.QueueListingOutput.JsonLines;
import io.vireo.relay.app.QueueListingOutput.LineSink;
import io.vireo.relay.app.QueueListingOutput.Table;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vireo queue list|show|summary|flush|bounce|hold|release|delete}: the queue of the running
 * relay, through its admin API; with the relay stopped (or {@code --spool DIR}), the read-only
 * commands read the spool itself and the changing ones say they need the relay. What list and
 * summary print for people is {@link QueueListingOutput}'s.
 */
@Command(
    name = "queue",
    description = "Inspect and steer the queue.",
    subcommands = {
      QueueCommand.ListMessages.class,
      QueueCommand.Show.class,
      QueueCommand.Summary.class,
      QueueCommand.Flush.class,
      QueueCommand.Bounce.class,
      QueueCommand.Hold.class,
      QueueCommand.Release.class,
      QueueCommand.Delete.class
    })
final class QueueCommand {

  /** Where the spool is: {@code --spool DIR}, else {@code spool.dir} of the configuration. */
  static final class SpoolLocation {
    @Mixin ConfigOption config;

    @Option(names = "--spool", paramLabel = "DIR", description = "Spool directory (overrides the config).")
    java.nio.file.Path spoolDir;

    java.nio.file.Path resolve() throws ConfigException {
      return spoolDir != null ? spoolDir : config.load().spool().dir();
    }
  }

  /** A command's work, which may throw what the shared handling below turns into one line. */
  @FunctionalInterface
  interface Work {
    int run() throws Exception;
  }

  /** Config, spool and relay errors as one line on stderr and exit 1; never a stack trace. */
  static int guarded(Work work) throws InterruptedException {
    try {
      return work.run();
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
    } catch (SpoolException e) {
      System.err.println("vireo: " + e.getMessage());
    } catch (InterruptedException e) {
      throw e;
    } catch (IOException e) {
      System.err.println("vireo: " + e.getMessage());
    } catch (Exception e) {
      System.err.println("vireo: " + e);
    }
    return 1;
  }

  /** Prints an admin error answer ({@code {"error":{...}}}) and returns the exit code 1. */
  static int failed(AdminApiClient.Answer answer) {
    System.err.println("vireo: the relay answered " + answer.status() + ": "
        + JsonValues.errorMessage(answer.body()));
    return 1;
  }

  @Command(
      name = "list",
      description = "List queued messages with undelivered recipients, oldest id first, streamed.")
  static final class ListMessages implements Callable<Integer> {
    @Mixin QueueSource source;

    @Option(names = "--sender", description = "Sender address containing this text.")
    String sender;

    @Option(names = "--recipient", description = "A recipient address containing this text.")
    String recipient;

    @Option(names = "--domain", description = "A recipient in this domain.")
    String domain;

    @Option(names = "--state", description = "A recipient in this state: pending, deferred, failed, held.")
    String state;

    @Option(names = "--older-than", paramLabel = "AGE", description = "Arrived at least this long ago: 30s, 10m, 2h, 5d.")
    String olderThan;

    @Option(names = "--limit", description = "At most this many messages.")
    Long limit;

    @Option(names = "--after", paramLabel = "CURSOR", description = "Only ids after this one (the last id of the previous page).")
    String after;

    @Option(names = "--json", description = "One JSON object per message and line (like postqueue -j).")
    boolean json;

    Map<String, String> query() {
      Map<String, String> query = new LinkedHashMap<>();
      put(query, "sender", sender);
      put(query, "recipient", recipient);
      put(query, "domain", domain);
      put(query, "state", state);
      put(query, "older-than", olderThan);
      put(query, "limit", limit == null ? null : limit.toString());
      put(query, "after", after);
      return query;
    }

    private static void put(Map<String, String> query, String key, String value) {
      if (value != null) {
        query.put(key, value);
      }
    }

    @Override
    public Integer call() throws InterruptedException {
      return guarded(
          () -> {
            Map<String, String> query = query();
            QueueFilter filter = QueueFilter.parse(query);
            LineSink sink = json ? new JsonLines(System.out) : new Table(System.out, filter.limit());
            Optional<AdminApiClient> relay = source.relay();
            if (relay.isPresent()) {
              try {
                HttpResponse<InputStream> response =
                    relay.get().stream("/v1/queue" + queryString(query));
                try (BufferedReader lines =
                    new BufferedReader(
                        new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                  if (response.statusCode() != 200) {
                    return failed(
                        new AdminApiClient.Answer(
                            response.statusCode(),
                            lines.lines().collect(Collectors.joining("\n"))));
                  }
                  for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    sink.line(line);
                  }
                }
                sink.end();
                return 0;
              } catch (AdminApiClient.NotRunningException e) {
                System.err.println("vireo: " + e.getMessage() + " Reading the spool instead.");
              }
            }
            try (Spool spool = ChronicleSpool.openReadOnly(source.spool())) {
              OutputStream out = sink.asStream();
              QueueJson.writeMessages(spool::pendingPage, filter, Instant.now(), out);
              out.flush();
            }
            sink.end();
            return 0;
          });
    }
  }

  static String queryString(Map<String, String> query) {
    if (query.isEmpty()) {
      return "";
    }
    return "?"
        + query.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
  }

  @Command(name = "show", description = "Show one message: envelope, recipient states and headers.")
  static final class Show implements Callable<Integer> {
    @Mixin QueueSource source;

    @Parameters(paramLabel = "ID", description = "Queue id, as in the 250 reply and the logs.")
    String id;

    @Option(names = "--json", description = "The message's JSON object, as queue list --json prints it.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
      if (!MessageId.isValid(id)) {
        System.err.println("not a queue id: " + id);
        return 2;
      }
      return guarded(
          () -> {
            if (json) {
              Optional<AdminApiClient> relay = source.relay();
              if (relay.isPresent()) {
                try {
                  AdminApiClient.Answer answer = relay.get().get("/v1/queue/" + id);
                  if (answer.status() != 200) {
                    return failed(answer);
                  }
                  System.out.print(answer.body());
                  return 0;
                } catch (AdminApiClient.NotRunningException e) {
                  System.err.println("vireo: " + e.getMessage() + " Reading the spool instead.");
                }
              }
            }
            // The headers are only in the spool, which a read-only open shows while a relay runs.
            MessageId messageId = new MessageId(id);
            try (Spool spool = ChronicleSpool.openReadOnly(source.spool())) {
              Optional<QueuedMessage> message = spool.find(messageId);
              if (message.isEmpty()) {
                System.err.println("no such message in the queue: " + id);
                return 1;
              }
              if (json) {
                QueueJson.writeMessage(message.get(), System.out);
                System.out.flush();
                return 0;
              }
              Optional<StoredMessage> stored = spool.read(messageId);
              PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.UTF_8);
              QueueFormat.writeDetail(message.get(), stored, out);
              out.flush();
              return 0;
            }
          });
    }
  }

  @Command(
      name = "summary",
      description = "Recipients not yet delivered per domain, by the age of their message (like qshape).")
  static final class Summary implements Callable<Integer> {
    @Mixin QueueSource source;

    @Option(names = "--json", description = "The JSON document of GET /v1/queue/summary.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
      return guarded(
          () -> {
            String body = null;
            Optional<AdminApiClient> relay = source.relay();
            if (relay.isPresent()) {
              try {
                AdminApiClient.Answer answer = relay.get().get("/v1/queue/summary");
                if (answer.status() != 200) {
                  return failed(answer);
                }
                body = answer.body();
              } catch (AdminApiClient.NotRunningException e) {
                System.err.println("vireo: " + e.getMessage() + " Reading the spool instead.");
              }
            }
            if (body == null) {
              try (Spool spool = ChronicleSpool.openReadOnly(source.spool())) {
                body =
                    new String(
                        QueueJson.summary(spool::pendingPage, Instant.now()), StandardCharsets.UTF_8);
              }
            }
            if (json) {
              System.out.print(body);
            } else {
              QueueListingOutput.printShape((Map<?, ?>) JsonValues.parse(body));
            }
            return 0;
          });
    }
  }

  /** {@code ID}, a filter ({@code --domain}, {@code --sender}, {@code --recipient}) or {@code --all}. */
  static final class Target {
    @Parameters(arity = "0..1", paramLabel = "ID", description = "One message's queue id.")
    String id;

    @Option(names = "--domain", description = "Every recipient in this domain.")
    String domain;

    @Option(names = "--sender", description = "Messages whose sender contains this text.")
    String sender;

    @Option(names = "--recipient", description = "Recipients whose address contains this text.")
    String recipient;

    @Option(names = "--all", description = "Every message.")
    boolean all;

    String query() {
      Map<String, String> query = new LinkedHashMap<>();
      if (id != null) {
        query.put("id", id);
      }
      if (domain != null) {
        query.put("domain", domain);
      }
      if (sender != null) {
        query.put("sender", sender);
      }
      if (recipient != null) {
        query.put("recipient", recipient);
      }
      if (all) {
        query.put("all", "true");
      }
      return queryString(query);
    }

    boolean many() {
      return id == null;
    }
  }

  /**
   * Runs a changing operation on the running relay: progress lines on stderr as the relay streams
   * them, the final count on stdout.
   */
  static int change(QueueSource source, String operation, Target target)
      throws InterruptedException {
    return guarded(
        () -> {
          Optional<AdminApiClient> relay = source.relay();
          if (relay.isEmpty()) {
            System.err.println(
                "vireo queue " + operation + ": needs the relay running (the spool has one"
                    + " writer); --spool reads only");
            return 1;
          }
          HttpResponse<InputStream> response;
          try {
            response = relay.get().streamPost("/v1/queue/" + operation + target.query());
          } catch (AdminApiClient.NotRunningException e) {
            System.err.println(
                "vireo queue " + operation + ": needs the relay running (the spool has one"
                    + " writer): " + e.getMessage());
            return 1;
          }
          try (BufferedReader lines =
              new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            if (response.statusCode() != 200) {
              return failed(
                  new AdminApiClient.Answer(
                      response.statusCode(), lines.lines().collect(Collectors.joining("\n"))));
            }
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
              Map<?, ?> counts = (Map<?, ?>) JsonValues.parse(line);
              if (counts.containsKey("error")) {
                return failed(new AdminApiClient.Answer(200, line));
              }
              if (counts.containsKey("progress")) {
                System.err.printf(
                    "%s: %s messages, %s recipients so far%n",
                    operation, counts.get("messages"), counts.get("recipients"));
                continue;
              }
              System.out.printf(
                  "%s: %s messages, %s recipients%n",
                  operation, counts.get("messages"), counts.get("recipients"));
              return 0;
            }
          }
          System.err.println("vireo queue " + operation + ": the relay's answer ended early");
          return 1;
        });
  }

  /**
   * Asks before a change that cannot be undone: on a terminal, {@code y} goes ahead; without one
   * (a script), only {@code --yes} does.
   */
  static boolean confirmed(boolean yes, String question) {
    if (yes) {
      return true;
    }
    java.io.Console console = System.console();
    if (console == null) {
      System.err.println(question + "; add --yes to go ahead");
      return false;
    }
    String answer = console.readLine("%s. Go ahead? [y/N] ", question);
    return answer != null && answer.strip().equalsIgnoreCase("y");
  }

  @Command(name = "flush", description = "Retry now: one message (ID), a domain (--domain) or all (--all).")
  static final class Flush implements Callable<Integer> {
    @Mixin QueueSource source;
    @ArgGroup(exclusive = false, multiplicity = "1") Target target;

    @Override
    public Integer call() throws InterruptedException {
      return change(source, "flush", target);
    }
  }

  @Command(
      name = "bounce",
      description =
          "Fail for good and send the senders a DSN: one message (ID), a domain (--domain) or all"
              + " (--all, with --yes).")
  static final class Bounce implements Callable<Integer> {
    @Mixin QueueSource source;
    @ArgGroup(exclusive = false, multiplicity = "1") Target target;

    @Option(names = "--yes", description = "Do not ask: needed to bounce more than one message.")
    boolean yes;

    @Override
    public Integer call() throws InterruptedException {
      if (target.many()
          && !confirmed(
              yes,
              "vireo queue bounce: this bounces every matching message and cannot be undone")) {
        return 1;
      }
      return change(source, "bounce", target);
    }
  }

  @Command(
      name = "hold",
      description =
          "Hold: no delivery attempt until released. One message (ID), a filter (--domain,"
              + " --sender, --recipient) or all (--all).")
  static final class Hold implements Callable<Integer> {
    @Mixin QueueSource source;
    @ArgGroup(exclusive = false, multiplicity = "1") Target target;

    @Override
    public Integer call() throws InterruptedException {
      return change(source, "hold", target);
    }
  }

  @Command(
      name = "release",
      description = "Release held recipients: due again now. ID, a filter or --all.")
  static final class Release implements Callable<Integer> {
    @Mixin QueueSource source;
    @ArgGroup(exclusive = false, multiplicity = "1") Target target;

    @Override
    public Integer call() throws InterruptedException {
      return change(source, "release", target);
    }
  }

  @Command(
      name = "delete",
      description =
          "Remove without a report to the sender: ID, a filter or --all (asks first; --yes does"
              + " not).")
  static final class Delete implements Callable<Integer> {
    @Mixin QueueSource source;
    @ArgGroup(exclusive = false, multiplicity = "1") Target target;

    @Option(names = "--yes", description = "Do not ask.")
    boolean yes;

    @Override
    public Integer call() throws InterruptedException {
      // Even one message: a delete sends no report, so nobody would ever hear of it.
      String what = target.many() ? "every matching message" : "message " + target.id;
      if (!confirmed(
          yes,
          "vireo queue delete: this removes " + what + " without telling its sender and cannot"
              + " be undone")) {
        return 1;
      }
      return change(source, "delete", target);
    }
  }
}
