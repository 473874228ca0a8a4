package io.vireo.bench;

import io.vireo.queue.BodyType;
import io.vireo.queue.Durability;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageIdGenerator;
import io.vireo.queue.Recipient;
import io.vireo.queue.Ret;
import io.vireo.queue.SpoolEvent;
import io.vireo.queue.SpoolOptions;
import io.vireo.queue.chronicle.ChronicleSpool;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures how long {@link ChronicleSpool#open} takes to recover a spool holding many queued
 * messages, and the heap its index then uses: what a restart costs with a large backlog.
 *
 * <p>Fills a spool with {@code count} 1 KB messages (one recipient each; every tenth deferred once)
 * from 64 virtual threads with durability NONE (filling is not what is measured), closes it, then
 * times {@code open} in the same JVM after a full GC and reports the retained heap. Run (JDK 25,
 * from the repository root, after {@code ./mvnw -q -B -o -pl bench -am package -DskipTests}):
 *
 * <pre>
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -Xmx4g @bin/jvm.flags \
 *   -Dlogback.configurationFile=queue/src/test/resources/logback-test.xml \
 *   -cp 'bench/target/vireo-bench.jar:bench/target/lib/*' io.vireo.bench.SpoolRecoveryMeasure [count] [directory]
 * </pre>
 *
 * Defaults: 1,000,000 messages in a fresh temporary directory, deleted afterwards unless one is
 * given. A directory that already holds a spool is not filled, only opened: that compares the
 * recovery of two builds on the same journal.
 */
public final class SpoolRecoveryMeasure {
  private SpoolRecoveryMeasure() {}

  private static long gcMillis() {
    long total = 0;
    for (var collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, collector.getCollectionTime());
    }
    return total;
  }

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path directory =
        args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("vireo-recovery");
    Clock clock = Clock.systemUTC();
    MessageIdGenerator ids = new MessageIdGenerator(clock);
    byte[] body = new byte[1024];
    java.util.Arrays.fill(body, (byte) 'x');
    MessageContent content = MessageContent.of(body);
    List<Recipient> recipients = List.of(Recipient.of("user@example.com"));

    if (Files.exists(directory.resolve("spool.properties"))) {
      // An existing spool (say, one written by another build): measure its open only.
      System.out.printf("measuring the existing spool %s%n", directory);
    } else {
      fill(directory, count, clock, ids, content, recipients);
    }
    measureOpen(directory, count);
    if (args.length <= 1) {
      try (var files = Files.walk(directory)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  private static void fill(
      Path directory,
      int count,
      Clock clock,
      MessageIdGenerator ids,
      MessageContent content,
      List<Recipient> recipients)
      throws Exception {
    long fillStart = System.nanoTime();
    AtomicLong next = new AtomicLong();
    try (ChronicleSpool spool = ChronicleSpool.open(SpoolOptions.of(directory, Durability.NONE));
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < 64; t++) {
        threads.submit(
            () -> {
              for (long n = next.getAndIncrement(); n < count; n = next.getAndIncrement()) {
                Instant now = clock.instant();
                Envelope envelope =
                    new Envelope(
                        ids.next(),
                        "sender@example.org",
                        recipients,
                        BodyType.SEVEN_BIT,
                        false,
                        Ret.UNSPECIFIED,
                        null,
                        now,
                        "192.0.2." + (n % 200),
                        "client" + (n % 50) + ".example.org");
                spool.store(envelope, content);
                if (n % 10 == 0) {
                  spool.record(
                      new SpoolEvent.Deferred(
                          envelope.id(),
                          "user@example.com",
                          now,
                          now.plusSeconds(300),
                          "451 4.7.1 later"));
                }
              }
              return null;
            });
      }
    }
    System.out.printf(
        "filled %,d messages in %.1f s into %s%n",
        count, (System.nanoTime() - fillStart) / 1e9, directory);
  }

  private static void measureOpen(Path directory, int count) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long heapBefore = memory.getHeapMemoryUsage().getUsed();
    long gcBefore = gcMillis();
    long cpuBefore = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    // Bytes the opening thread allocated: unlike wall and GC time, not moved by a busy machine.
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
    long openStart = System.nanoTime();
    try (ChronicleSpool spool = ChronicleSpool.open(SpoolOptions.of(directory, Durability.GROUP))) {
      double seconds = (System.nanoTime() - openStart) / 1e9;
      double cpu =
          (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuBefore) / 1e9;
      long gc = gcMillis() - gcBefore;
      long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
      System.gc();
      long heapAfter = memory.getHeapMemoryUsage().getUsed();
      // Wall time includes waiting for a CPU on a shared machine; the opening thread's CPU time and
      // the
      // collector's time are the steadier figures.
      System.out.printf(
          "recovered %,d pending messages in %.2f s (opening thread CPU %.2f s, allocated %,d MB,"
              + " GC %,d ms); heap retained by the index %,d MB (%,d bytes per message)%n",
          spool.pending().size(),
          seconds,
          cpu,
          allocated >> 20,
          gc,
          (heapAfter - heapBefore) >> 20,
          (heapAfter - heapBefore) / Math.max(1, count));
    }
  }
}
