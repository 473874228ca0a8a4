package io.vireo.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link ConfigLoader#parse} with any text as vireo.yaml. The loader either gives a
 * configuration or a {@link ConfigException} whose every problem names a key or a line, so an
 * operator can find it, and never fails any other way. A configuration it accepts, printed by
 * {@link ConfigPrinter} ({@code vireo config check --print}), loads again to the same
 * configuration. Seeds (the shipped files and variants) and past findings: {@code
 * ConfigLoaderFuzzTestInputs/yaml}.
 */
class ConfigLoaderFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void yaml(byte[] file) {
    // load() refuses a file that is not UTF-8 before parsing, so parse() only ever sees text.
    String yaml = new String(file, StandardCharsets.UTF_8);
    VireoConfig config;
    try {
      config = ConfigLoader.parse(yaml, "fuzz.yaml");
    } catch (ConfigException e) {
      assertThat(e.problems()).isNotEmpty();
      for (ConfigProblem problem : e.problems()) {
        assertThat(problem.line() > 0 || !problem.key().isEmpty())
            .as("problem without key or line: %s", problem)
            .isTrue();
        assertThat(problem.message()).isNotBlank();
      }
      assertThat(e.getMessage()).startsWith("fuzz.yaml");
      return;
    }
    String printed = ConfigPrinter.render(config);
    try {
      assertThat(ConfigLoader.parse(printed, "printed.yaml")).isEqualTo(config);
    } catch (ConfigException e) {
      throw new AssertionError("printed configuration does not load:\n" + printed + "\n" + e.getMessage(), e);
    }
  }
}
