package io.vireo.bench.mail;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Many IMAP clients at once, each logged in on its own connection and repeating one operation: SELECT
 * of the mailbox, then a FETCH of a range of messages at a random place (a user opening the mailbox
 * and reading a page of it). Operations of the warm-up period are not recorded; after it, each
 * operation's latency (SELECT sent to FETCH's tagged OK) goes into one histogram per client.
 */
final class ClientFleet {
  private final MailTarget target;
  private final int connections;
  private final Duration warmup;
  private final Duration duration;
  private final int range;
  private final String items;

  ClientFleet(MailTarget target, int connections, Duration warmup, Duration duration, int range, String items) {
    if (connections < 1 || range < 1) {
      throw new IllegalArgumentException("connections and range must be at least 1");
    }
    this.target = target;
    this.connections = connections;
    this.warmup = warmup;
    this.duration = duration;
    this.range = range;
    this.items = items;
  }

  Map<String, Object> run() throws InterruptedException {
    List<Histogram> histograms = new ArrayList<>();
    AtomicLong fetched = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    List<String> firstErrors = new ArrayList<>();
    CountDownLatch ready = new CountDownLatch(connections);
    CountDownLatch go = new CountDownLatch(1);
    long[] window = new long[2];
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      Histogram histogram = new Histogram(60_000_000L, 3);
      histograms.add(histogram);
      SplittableRandom random = new SplittableRandom(1000L + c);
      threads.add(Thread.ofPlatform().name("imap-client-" + c).start(() -> {
        boolean counted = false;
        try (ImapClient imap = target.imap()) {
          imap.loginAndSelect(target.user(), target.password(), target.mailbox());
          ready.countDown();
          counted = true;
          go.await();
          while (System.nanoTime() < window[1]) {
            long start = System.nanoTime();
            long count = imap.select(target.mailbox());
            long first = 1 + random.nextLong(Math.max(1, count - range + 1));
            long last = Math.min(count, first + range - 1);
            String command = "FETCH " + first + ":" + last + " " + items;
            ImapResponse response = ImapClient.expectOk(imap.command(command), "FETCH");
            if (response.fetches() != last - first + 1) {
              throw new MailProtocolException(command + ": " + response.fetches() + " FETCH responses");
            }
            long end = System.nanoTime();
            if (start >= window[0] && end <= window[1]) {
              histogram.recordValue(Math.min((end - start) / 1000, 60_000_000L));
              fetched.addAndGet(response.fetches());
            }
          }
          imap.logout();
        } catch (IOException e) {
          errors.incrementAndGet();
          synchronized (firstErrors) {
            if (firstErrors.size() < 5) {
              firstErrors.add(e.toString());
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          if (!counted) {
            ready.countDown();
          }
        }
      }));
    }
    // Every client logs in before the clock starts: logging in is not the operation measured.
    ready.await();
    long now = System.nanoTime();
    window[0] = now + warmup.toNanos();
    window[1] = window[0] + duration.toNanos();
    go.countDown();
    Thread.sleep(warmup);
    long cpuBefore = ClientCpu.nanos();
    for (Thread thread : threads) {
      thread.join();
    }
    long cpu = ClientCpu.nanos() - cpuBefore;
    Histogram all = new Histogram(60_000_000L, 3);
    histograms.forEach(all::add);
    double seconds = duration.toNanos() / 1e9;
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("workload", "clients");
    report.put("connections", connections);
    report.put("range", range);
    report.put("items", items);
    report.put("measured_s", seconds);
    report.put("operations", all.getTotalCount());
    report.put("operations_per_s", all.getTotalCount() / seconds);
    report.put("messages_per_s", fetched.get() / seconds);
    report.put("p50_ms", all.getValueAtPercentile(50) / 1000.0);
    report.put("p90_ms", all.getValueAtPercentile(90) / 1000.0);
    report.put("p99_ms", all.getValueAtPercentile(99) / 1000.0);
    report.put("p99_9_ms", all.getValueAtPercentile(99.9) / 1000.0);
    report.put("max_ms", all.getMaxValue() / 1000.0);
    report.put("errors", errors.get());
    report.put("error_samples", firstErrors);
    report.put("client_cpu_ms_per_s", cpu / 1e6 / seconds);
    return report;
  }
}
