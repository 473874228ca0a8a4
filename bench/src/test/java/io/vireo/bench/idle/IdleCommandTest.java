package io.vireo.bench.idle;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.bench.sink.SinkOptions;
import io.vireo.bench.sink.SmtpSink;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdleCommandTest {
  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine command = new CommandLine(new IdleCommand());
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    return command.execute(args);
  }

  @Test
  void opensHoldsAndReportsEverySession() {
    try (SmtpSink sink = new SmtpSink(SinkOptions.loopbackEphemeral()).start()) {
      StringWriter out = new StringWriter();
      int exit =
          run(
              out,
              new StringWriter(),
              "--port",
              Integer.toString(sink.port()),
              "--connections",
              "50",
              "--ramp-rate",
              "1000/s",
              "--hold",
              "200ms",
              "--source",
              "127.0.0.4,127.0.0.5");
      assertThat(exit).as(out.toString()).isZero();
      assertThat(out.toString())
          .contains("opening 50 sessions to 127.0.0.1:" + sink.port() + " at 1000/s")
          .contains("idle: 50 open, 0 failed")
          .contains("done: held 50 open at the end, 0 dropped by the server, hold PT0.2S expired");
      assertThat(sink.snapshot().connectionsOpened()).isEqualTo(50);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void reportsRefusedConnectionsAndExitsOne() throws Exception {
    int closedPort;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    StringWriter out = new StringWriter();
    int exit =
        run(
            out,
            new StringWriter(),
            "--port",
            Integer.toString(closedPort),
            "--connections",
            "3",
            "--hold",
            "0s");
    assertThat(exit).isEqualTo(1);
    assertThat(out.toString()).contains("idle: 0 open, 3 failed").contains("failures: connect=3");
  }

  @Test
  void rejectsASourceThatIsNotAnAddress() {
    StringWriter err = new StringWriter();
    int exit = run(new StringWriter(), err, "--source", "localhost", "--connections", "1");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--source takes IP addresses");
  }
}
