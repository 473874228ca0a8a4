package io.vireo.relay.compose;

import io.vireo.mailbox.testing.ExternalTool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What Python's {@code email} package (an independent MIME parser) makes of a message: runs {@code
 * mime_summary.py} with Debian's /usr/bin/python3 and returns its JSON line.
 */
public final class MimeSummary {
  private MimeSummary() {}

  public static String of(byte[] message, Path dir) throws IOException, InterruptedException {
    ExternalTool.requireThat(
        Files.isExecutable(Path.of("/usr/bin/python3")),
        "/usr/bin/python3 not found; install it with: apt-get install python3");
    Path script = dir.resolve("mime_summary.py");
    if (!Files.exists(script)) {
      try (InputStream in = MimeSummary.class.getResourceAsStream("mime_summary.py")) {
        Files.write(script, in.readAllBytes());
      }
    }
    Path file = Files.createTempFile(dir, "message", ".eml");
    Files.write(file, message);
    Process process =
        new ProcessBuilder(List.of("/usr/bin/python3", script.toString(), file.toString()))
            .redirectErrorStream(true)
            .start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("mime_summary.py failed: " + new String(output, StandardCharsets.UTF_8));
    }
    return new String(output, StandardCharsets.UTF_8).strip();
  }
}
