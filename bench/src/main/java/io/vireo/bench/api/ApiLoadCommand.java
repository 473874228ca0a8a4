package io.vireo.bench.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code bin/bench api} command: HTTP load on Vireo's send API, the counterpart of {@code
 * bin/bench load} for SMTP. {@code --clients} virtual threads each post one message after another
 * on a keep-alive HTTP/1.1 connection of its own ({@link HttpPostConnection}; {@code --client jdk}
 * uses the JDK's HttpClient instead); every 202 means the message is
 * durable in the spool. Reports accepted messages/s and the p50/p99 of the 202 over the measured
 * messages (after {@code --warmup}).
 *
 * <pre>
 * bin/bench api --url http://127.0.0.1:8480 --key-file data/bench.key --clients 50 --messages 20000 --size 4096 --warmup 2000
 * </pre>
 */
@Command(
    name = "api",
    mixinStandardHelpOptions = true,
    description = "Post messages to Vireo's HTTP send API and report accepted/s and 202 latency.")
public final class ApiLoadCommand implements Callable<Integer> {
  @Option(names = "--url", defaultValue = "http://127.0.0.1:8480", description = "API base URL (default ${DEFAULT-VALUE}).")
  private String url;

  @Option(names = "--key-file", required = true, description = "File holding the API key.")
  private Path keyFile;

  @Option(names = "--clients", defaultValue = "50", description = "Concurrent clients (default ${DEFAULT-VALUE}).")
  private int clients;

  @Option(names = "--messages", defaultValue = "20000", description = "Messages to measure (default ${DEFAULT-VALUE}).")
  private long messages;

  @Option(names = "--warmup", defaultValue = "2000", description = "Messages sent first, not measured (default ${DEFAULT-VALUE}).")
  private long warmup;

  @Option(names = "--size", defaultValue = "4096", description = "Text body size in bytes (default ${DEFAULT-VALUE}).")
  private int size;

  @Option(
      names = "--client",
      defaultValue = "socket",
      description =
          "socket: a keep-alive HTTP/1.1 socket per client, as lean as the SMTP load's; jdk: the"
              + " JDK's HttpClient (default ${DEFAULT-VALUE}).")
  private Client client;

  @Option(names = "--raw", description = "Post complete messages to /v1/messages/raw instead of fields to /v1/messages.")
  private boolean raw;

  @Override
  public Integer call() throws Exception {
    String key = Files.readString(keyFile).strip();
    // The body in lines of 76 characters, as `bin/bench load` writes its SMTP messages, so both
    // loads carry the same text (one line longer than 998 octets would have to be quoted-printable).
    String crlf = raw ? "\\r\\n" : "\\n";
    String text = fillerLines(Math.max(0, size - 200), crlf);
    String body =
        raw
            ? "{\"from\":\"load@bench.local\",\"to\":[\"user@example.net\"],\"message\":\"From: load@bench.local\\r\\nTo: user@example.net\\r\\nSubject: load\\r\\n\\r\\n"
                + text
                + "\"}"
            : "{\"from\":\"load@bench.local\",\"to\":[\"user@example.net\"],\"subject\":\"load\",\"text\":\""
                + text
                + "\"}";
    URI target = URI.create(url.replaceAll("/+$", "") + (raw ? "/v1/messages/raw" : "/v1/messages"));
    Map<String, String> headers =
        Map.of("Authorization", "Bearer " + key, "Content-Type", "application/json");
    byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
    Supplier<Poster> posters =
        switch (client) {
          case socket -> () -> socketPoster(target, headers, bodyBytes);
          case jdk -> jdkPoster(target, headers, body);
        };
    AtomicLong tickets = new AtomicLong();
    long total = warmup + messages;
    long[] latencies = new long[(int) messages];
    AtomicLong measuredStart = new AtomicLong();
    LongAdder failures = new LongAdder();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    Poster poster = posters.get();
                    for (long n = tickets.getAndIncrement(); n < total; n = tickets.getAndIncrement()) {
                      if (n == warmup) {
                        measuredStart.set(System.nanoTime());
                      }
                      long start = System.nanoTime();
                      try {
                        int status = poster.post();
                        if (status != 202) {
                          failures.increment();
                          firstFailure.compareAndSet(null, "HTTP status " + status);
                        }
                      } catch (Exception e) {
                        failures.increment();
                        firstFailure.compareAndSet(null, e.toString());
                      }
                      if (n >= warmup) {
                        latencies[(int) (n - warmup)] = System.nanoTime() - start;
                      }
                    }
                  }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    double seconds = (System.nanoTime() - measuredStart.get()) / 1e9;
    Arrays.sort(latencies);
    System.out.printf(
        "api %s: %d messages, %d clients, %d failed: %.0f accepted/s, 202 p50 %.1f ms, p99 %.1f ms%n",
        raw ? "raw" : "compose",
        messages,
        clients,
        failures.sum(),
        messages / seconds,
        latencies[(int) (messages / 2)] / 1e6,
        latencies[(int) (messages * 99 / 100)] / 1e6);
    if (firstFailure.get() != null) {
      System.err.println("first failure: " + firstFailure.get());
    }
    return failures.sum() == 0 ? 0 : 1;
  }

  /** Posts the request once and answers the status; one per client thread. */
  @FunctionalInterface
  interface Poster {
    int post() throws IOException, InterruptedException;
  }

  /** The clients {@code --client} chooses from. */
  enum Client {
    socket,
    jdk
  }

  /** A keep-alive connection of its own, opened again after a failure. */
  private static Poster socketPoster(URI target, Map<String, String> headers, byte[] body) {
    HttpPostConnection[] connection = new HttpPostConnection[1];
    return () -> {
      try {
        if (connection[0] == null) {
          connection[0] = HttpPostConnection.open(target, headers, body);
        }
        return connection[0].post();
      } catch (IOException e) {
        if (connection[0] != null) {
          connection[0].close();
          connection[0] = null;
        }
        throw e;
      }
    };
  }

  /** One HttpClient shared by all client threads, which keeps its own pool of connections. */
  private static Supplier<Poster> jdkPoster(URI target, Map<String, String> headers, String body) {
    HttpClient http =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build();
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(target)
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(builder::header);
    HttpRequest request = builder.build();
    return () -> () -> http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /**
   * About {@code length} characters of letters in lines of 76, each ended by {@code lineEnd}: the
   * text this command posts (also {@code MessageComposerBenchmark}'s).
   */
  public static String fillerLines(int length, String lineEnd) {
    StringBuilder text = new StringBuilder(length + 80);
    for (int line = 0; text.length() < length; line++) {
      for (int i = 0; i < 76; i++) {
        text.append((char) ('a' + (line + i) % 26));
      }
      text.append(lineEnd);
    }
    return text.toString();
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ApiLoadCommand()).execute(args));
  }
}
