package io.vireo.relay.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external program to completion within a deadline and captures what it printed. */
public final class ProcessRunner {
  public record Result(int exitCode, String output) {}

  /** A run whose standard output and standard error were kept apart. */
  record Split(int exitCode, String stdout, String stderr) {}

  private ProcessRunner() {}

  /** Like {@link #run}, keeping standard error out of standard output (output contracts). */
  static Split runSplit(List<String> command, Duration timeout)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("vireo-proc", ".out");
    Path err = Files.createTempFile("vireo-proc", ".err");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IOException(command.getFirst() + " did not finish within " + timeout);
      }
      return new Split(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /**
   * Runs {@code interpreter -c script args...}: a Python (or shell) script written in the test,
   * with the ports and files it needs as arguments.
   */
  public static Result runScript(Path interpreter, String script, Duration timeout, String... args)
      throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(interpreter.toString(), "-c", script));
    command.addAll(List.of(args));
    return run(command, timeout);
  }

  public static Result run(List<String> command, Duration timeout)
      throws IOException, InterruptedException {
    return run(command, timeout, Path.of("/dev/null"));
  }

  /** As {@link #run(List, Duration)}, with {@code input} as the program's standard input. */
  public static Result run(List<String> command, Duration timeout, Path input)
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
