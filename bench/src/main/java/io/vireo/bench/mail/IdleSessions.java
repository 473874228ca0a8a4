package io.vireo.bench.mail;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many idle IMAP sessions, each logged in with its mailbox SELECTed, held until told to stop, so
 * the server's memory can be read with and without them. Sessions are opened a few at a time; once
 * all are open (or failed) one line {@code idle: N open, F failed} is printed and flushed, then the
 * sessions are held until standard input ends, then each gets a LOGOUT.
 */
final class IdleSessions {
  private final MailTarget target;
  private final int sessions;
  private final int parallel;

  IdleSessions(MailTarget target, int sessions, int parallel) {
    if (sessions < 1 || parallel < 1) {
      throw new IllegalArgumentException("sessions and parallel must be at least 1");
    }
    this.target = target;
    this.sessions = sessions;
    this.parallel = parallel;
  }

  Map<String, Object> run(PrintWriter out, InputStream release) throws InterruptedException, IOException {
    List<ImapClient> open = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger failed = new AtomicInteger();
    List<String> firstErrors = Collections.synchronizedList(new ArrayList<>());
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(parallel)) {
      for (int i = 0; i < sessions; i++) {
        pool.execute(() -> {
          try {
            ImapClient imap = target.imap();
            try {
              imap.loginAndSelect(target.user(), target.password(), target.mailbox());
              open.add(imap);
            } catch (IOException e) {
              imap.close();
              throw e;
            }
          } catch (IOException e) {
            failed.incrementAndGet();
            if (firstErrors.size() < 5) {
              firstErrors.add(e.toString());
            }
          }
        });
      }
    }
    double openSeconds = (System.nanoTime() - start) / 1e9;
    out.printf("idle: %d open, %d failed%n", open.size(), failed.get());
    out.flush();
    while (release.read() >= 0) {
      // Held until the harness closes our standard input.
    }
    try (ExecutorService pool = Executors.newFixedThreadPool(parallel)) {
      for (ImapClient imap : open) {
        pool.execute(() -> {
          imap.logout();
          try {
            imap.close();
          } catch (IOException e) {
            // Closed either way.
          }
        });
      }
      pool.shutdown();
      pool.awaitTermination(5, TimeUnit.MINUTES);
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("workload", "idle");
    report.put("sessions", sessions);
    report.put("open", open.size());
    report.put("failed", failed.get());
    report.put("open_s", openSeconds);
    report.put("error_samples", List.copyOf(firstErrors));
    return report;
  }
}
