package io.vireo.relay.delivery.smtp;

import io.vireo.queue.BodyType;
import io.vireo.queue.MessageContent;
import io.vireo.queue.Notify;
import io.vireo.queue.Recipient;
import io.vireo.queue.Ret;
import io.vireo.relay.protocol.SmtpCommand;
import io.vireo.relay.protocol.SmtpCommandRenderer;
import io.vireo.relay.protocol.SmtpReply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures the CPU side of one client transaction before any byte goes out: {@link
 * TransactionPlanner#plan} for a message to a server that offers SIZE, 8BITMIME, SMTPUTF8 and DSN
 * (local checks, the MAIL and RCPT records with every parameter), then each command rendered by
 * {@link SmtpCommandRenderer} and encoded as the transport writes it. This is what moved from
 * string building to the shared command records; a round trip on loopback costs tens of
 * microseconds, so this should stay far below that. Results go to {@code bench/README.md}.
 *
 * <p>It lives in the relay's package (a split package, fine on the class path) so that the planner
 * can stay package-private.
 *
 * <p>Run: {@code bin/bench jmh TransactionPlanBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TransactionPlanBenchmark {
  @Param({"1", "50"})
  int recipients;

  private TransactionPlanner planner;
  private OutboundMessage message;

  @Setup
  public void prepare() {
    SmtpReply ehlo =
        new SmtpReply(
            250,
            null,
            List.of(
                "mx.example.test", "PIPELINING", "SIZE 52428800", "8BITMIME", "SMTPUTF8", "DSN"));
    planner =
        new TransactionPlanner(ServerCapabilities.fromEhlo(ehlo), "mx.example.test[127.0.0.1]:25");
    List<Recipient> list = new ArrayList<>(recipients);
    for (int i = 0; i < recipients; i++) {
      list.add(
          new Recipient(
              "user" + i + "@example.test",
              Set.of(Notify.FAILURE, Notify.DELAY),
              "rfc822;user" + i + "+tag@example.test"));
    }
    byte[] content = "Subject: bench\r\n\r\nA short body.\r\n".getBytes(StandardCharsets.US_ASCII);
    message =
        new OutboundMessage(
            "sender@example.org",
            list,
            MessageContent.of(content),
            BodyType.EIGHT_BIT_MIME,
            false,
            Ret.HDRS,
            "envelope-1234");
  }

  @Benchmark
  public int planAndRender() {
    TransactionPlan plan = planner.plan(message);
    int octets = 0;
    for (SmtpCommand command : plan.commands()) {
      octets += SmtpCommandRenderer.render(command).getBytes(StandardCharsets.UTF_8).length;
    }
    return octets;
  }
}
