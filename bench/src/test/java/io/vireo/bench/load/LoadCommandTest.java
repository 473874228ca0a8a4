package io.vireo.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.bench.sink.SinkOptions;
import io.vireo.bench.sink.SmtpSink;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LoadCommandTest {
  private SmtpSink sink;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void startSink() throws Exception {
    sink = new SmtpSink(SinkOptions.loopbackEphemeral()).start();
  }

  @AfterEach
  void closeSink() {
    sink.close();
  }

  private int load(String... args) {
    CommandLine command = new CommandLine(new LoadCommand());
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    return command.execute(args);
  }

  @Test
  void jsonReportCountsEveryMessageAndExitsZero() {
    int exit =
        load("--port", Integer.toString(sink.port()), "--connections", "2", "--messages", "50",
            "--size", "2KB", "--warmup", "5", "--pipelining", "--timeout", "5s", "--json");

    assertThat(exit).as(err.toString()).isZero();
    String json = out.toString().strip();
    assertThat(json).startsWith("{").endsWith("}").doesNotContain("\n");
    assertThat(json)
        .contains("\"sent\":50,", "\"ok\":50,", "\"failed\":0,", "\"failures\":{},", "\"size\":2048,")
        .contains("\"end_of_data_us\":{\"count\":50,", "\"connections_opened\":2,");
    assertThat(sink.messages()).isEqualTo(55);
  }

  @Test
  void textReportShowsRateLatencyAndConnections() {
    int exit =
        load("--port", Integer.toString(sink.port()), "--connections", "3", "--messages", "30",
            "--new-connection-per-message", "--recipients", "2", "--mix", "8KB:10%",
            "--threads", "platform");

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("3 connections on platform threads")
        .contains("sent        30, ok 30, failed 0")
        .contains("messages/s")
        .contains("end-of-data ms p50")
        .contains("connections 30 opened");
    assertThat(sink.recipients()).isEqualTo(60);
  }

  @Test
  void failuresGiveExitCodeOneAndAreListedByCause() throws Exception {
    int closedPort;
    try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    int exit = load("--port", Integer.toString(closedPort), "--connections", "1", "--messages", "3");

    assertThat(exit).isEqualTo(1);
    assertThat(out.toString()).contains("failed 3 (connect: 3)");
  }

  @Test
  void contradictoryOrImpossibleOptionsAreUsageErrors() {
    String port = Integer.toString(sink.port());
    assertThat(load("--port", port, "--reuse", "--new-connection-per-message")).isEqualTo(2);
    assertThat(load("--port", port, "--size", "100")).isEqualTo(2);
    assertThat(err.toString()).contains("minimum");
    assertThat(load("--port", port, "--timeout", "30")).isEqualTo(2);
    assertThat(sink.messages()).isZero();
  }
}
