package io.vireo.mailbox.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real client program to completion with a deadline and returns what it printed. */
public final class Processes {
  /** Exit status and the merged output. */
  public record Result(int exit, String output) {}

  private Processes() {}

  public static Result run(List<String> command, Map<String, String> environment, byte[] stdin, Path workDir)
      throws IOException, InterruptedException {
    Path output = Files.createTempFile(workDir, "process", ".out");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).directory(workDir.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    try (var in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin);
      }
    }
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(command.getFirst() + " did not finish within 120 s: " + Files.readString(output));
    }
    return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }
}
