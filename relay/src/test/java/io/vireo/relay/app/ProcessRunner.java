package io.vireo.relay.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external program to completion within a deadline and captures what it printed. */
final class ProcessRunner {
  record Result(int exitCode, String output) {}

  private ProcessRunner() {}

  static Result run(List<String> command, Duration timeout) throws IOException, InterruptedException {
    return run(command, timeout, Path.of("/dev/null"));
  }

  /** As {@link #run(List, Duration)}, with {@code input} as the program's standard input. */
  static Result run(List<String> command, Duration timeout, Path input)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile("vireo-proc", ".log");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(input.toFile()))
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IOException(command.getFirst() + " did not finish within " + timeout + ":\n"
            + Files.readString(log, StandardCharsets.UTF_8));
      }
      return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
