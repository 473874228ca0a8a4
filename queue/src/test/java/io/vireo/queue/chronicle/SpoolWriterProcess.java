package io.vireo.queue.chronicle;

import io.vireo.queue.Durability;
import io.vireo.queue.Envelope;
import io.vireo.queue.SpoolEvent;
import io.vireo.queue.SpoolOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A child process for {@link AbruptStopTest}: stores messages from a few virtual threads until it
 * is killed, never closing the spool. Prints {@code ACK <id>} once a store returned and {@code
 * DEFERRED <id>} once an event for it was recorded; the parent holds it to exactly those promises.
 */
public final class SpoolWriterProcess {
  private SpoolWriterProcess() {}

  public static void main(String[] args) throws InterruptedException {
    Path dir = Path.of(args[0]);
    Clock clock = Clock.systemUTC();
    TestMessages messages = new TestMessages(clock);
    ChronicleSpool spool =
        ChronicleSpool.open(
            new SpoolOptions(dir, Durability.GROUP, clock).withMaintenancePeriod(Duration.ZERO));
    System.out.println("OPEN");
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < 8; t++) {
        int thread = t;
        threads.submit(
            () -> {
              // Bounded, but far beyond what the parent waits for before it kills this process.
              for (int n = 0; n < 1_000_000; n++) {
                Envelope envelope = messages.envelope("a@example.com", "b@example.com");
                spool.store(envelope, TestMessages.random(500 + (n % 3) * 700_000, n));
                System.out.println("ACK " + envelope.id());
                if (n % 4 == thread % 4) {
                  spool.record(
                      new SpoolEvent.Deferred(
                          envelope.id(),
                          "a@example.com",
                          clock.instant(),
                          clock.instant().plusSeconds(60),
                          "451"));
                  System.out.println("DEFERRED " + envelope.id());
                }
              }
              return null;
            });
      }
    }
  }
}
