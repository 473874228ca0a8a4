package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code vireo version} and {@code --version} print the version Maven built, not "dev". */
class VersionIntegrationTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @ParameterizedTest
  @ValueSource(strings = {"version", "--version", "-V"})
  void printsTheBuiltVersion(String argument) throws Exception {
    String expected = System.getProperty("vireo.expectedVersion");
    assertThat(expected).as("set by the relay pom's surefire configuration").isNotBlank();

    ProcessRunner.Result result = RelayProcess.run(TIMEOUT, argument);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output().strip()).isEqualTo("vireo " + expected);
  }

  @Test
  void theVersionIsNeverTheDevPlaceholderInABuild() {
    assertThat(VersionProvider.version()).isEqualTo(System.getProperty("vireo.expectedVersion"));
  }
}
