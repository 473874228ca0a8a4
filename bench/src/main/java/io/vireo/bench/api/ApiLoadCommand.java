package io.vireo.bench.api;

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
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code bin/bench api} command: HTTP load on Vireo's send API, the counterpart of {@code
 * bin/bench load} for SMTP. {@code --clients} virtual threads each post one message after another
 * with the JDK's HttpClient (HTTP/1.1, connections kept alive); every 202 means the message is
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

  @Option(names = "--raw", description = "Post complete messages to /v1/messages/raw instead of fields to /v1/messages.")
  private boolean raw;

  @Override
  public Integer call() throws Exception {
    String key = Files.readString(keyFile).strip();
    String text = "x".repeat(Math.max(0, size - 200));
    String body =
        raw
            ? "{\"from\":\"load@bench.local\",\"to\":[\"user@example.net\"],\"message\":\"From: load@bench.local\\r\\nTo: user@example.net\\r\\nSubject: load\\r\\n\\r\\n"
                + text
                + "\\r\\n\"}"
            : "{\"from\":\"load@bench.local\",\"to\":[\"user@example.net\"],\"subject\":\"load\",\"text\":\""
                + text
                + "\"}";
    HttpClient client =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + (raw ? "/v1/messages/raw" : "/v1/messages")))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    AtomicLong tickets = new AtomicLong();
    long total = warmup + messages;
    long[] latencies = new long[(int) messages];
    AtomicLong measuredStart = new AtomicLong();
    LongAdder failures = new LongAdder();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (long n = tickets.getAndIncrement(); n < total; n = tickets.getAndIncrement()) {
                      if (n == warmup) {
                        measuredStart.set(System.nanoTime());
                      }
                      long start = System.nanoTime();
                      try {
                        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() != 202) {
                          failures.increment();
                        }
                      } catch (Exception e) {
                        failures.increment();
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
    return failures.sum() == 0 ? 0 : 1;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ApiLoadCommand()).execute(args));
  }
}
