package io.vireo.bench.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.bench.load.LoadGenerator;
import io.vireo.bench.load.LoadOptions;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SinkCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Collects the command's stdout as lines a test can wait for. */
  private static final class LineQueue extends Writer {
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public synchronized void write(char[] chars, int offset, int length) {
      for (int i = offset; i < offset + length; i++) {
        if (chars[i] == '\n') {
          lines.add(partial.toString().strip());
          partial.setLength(0);
        } else {
          partial.append(chars[i]);
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    String next() throws InterruptedException {
      String line = lines.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(line).as("a line within %s", WAIT).isNotNull();
      return line;
    }
  }

  private record Running(Thread thread, AtomicInteger exitCode, LineQueue out) {}

  private static Running sink(String... args) {
    LineQueue out = new LineQueue();
    AtomicInteger exitCode = new AtomicInteger(-1);
    CommandLine command = new CommandLine(new SinkCommand());
    command.setOut(new PrintWriter(out, true));
    Thread thread = Thread.ofVirtual().start(() -> exitCode.set(command.execute(args)));
    return new Running(thread, exitCode, out);
  }

  @Test
  void exitsZeroOnceTheExpectedMessagesArrivedAndReportsTheRate() throws Exception {
    Running sink =
        sink("--listen", "127.0.0.1:0", "--expect", "40", "--report-interval", "50ms",
            "--max-duration", "20s");
    String listening = sink.out().next();
    assertThat(listening).startsWith("sink listening on 127.0.0.1:");
    int port = Integer.parseInt(listening.substring(listening.lastIndexOf(':') + 1));

    new LoadGenerator(
            LoadOptions.builder().port(port).connections(2).messages(40).size(1024).build())
        .run();

    assertThat(sink.thread().join(WAIT)).isTrue();
    assertThat(sink.exitCode()).hasValue(0);
    List<String> lines = new ArrayList<>();
    sink.out().lines.drainTo(lines);
    assertThat(lines).anyMatch(line -> line.startsWith("status ") && line.contains(" messages=40 "));
    assertThat(lines.getLast()).startsWith("done messages=40 first_to_last=").contains(" rate=");
  }

  @Test
  void stopsByItselfAfterMaxDurationAndFailsAnUnmetExpectation() throws Exception {
    Running sink =
        sink("--listen", "127.0.0.1:0", "--expect", "5", "--report-interval", "0s",
            "--max-duration", "200ms");
    assertThat(sink.thread().join(WAIT)).isTrue();
    assertThat(sink.exitCode()).hasValue(1);
    List<String> lines = new ArrayList<>();
    sink.out().lines.drainTo(lines);
    assertThat(lines).last().asString().startsWith("stopped after --max-duration");
    assertThat(lines).anyMatch(line -> line.startsWith("status ") && line.contains(" messages=0 "));
  }
}
