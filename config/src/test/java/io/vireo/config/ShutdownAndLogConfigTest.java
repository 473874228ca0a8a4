package io.vireo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code shutdown.grace} and {@code log.level}: read, defaulted and refused with key and line. */
class ShutdownAndLogConfigTest {
  @Test
  void defaultsAreThirtySecondsAndInfo() throws ConfigException {
    VireoConfig config = ConfigLoader.parse("", "vireo.yaml");
    assertThat(config.shutdown().grace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.log().level()).isEqualTo("info");
  }

  @Test
  void readsBoth() throws ConfigException {
    VireoConfig config =
        ConfigLoader.parse("shutdown:\n  grace: 5s\nlog:\n  level: DEBUG\n", "vireo.yaml");
    assertThat(config.shutdown().grace()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.log().level()).isEqualTo("debug");
  }

  @Test
  void badValuesNameKeyAndLine() {
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "shutdown:\n  grace: soon\nlog:\n  level: loud\n", "vireo.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("shutdown.grace")
        .hasMessageContaining("vireo.yaml:2:")
        .hasMessageContaining("log.level")
        .hasMessageContaining("vireo.yaml:4:")
        .hasMessageContaining("one of trace, debug, info, warn, error");
  }

  @Test
  void logFormatIsTextByDefaultJsonOnRequestAndNothingElse() throws ConfigException {
    assertThat(ConfigLoader.defaults().log().format()).isEqualTo("text");
    VireoConfig json = ConfigLoader.parse("log:\n  format: JSON\n", "vireo.yaml");
    assertThat(json.log().json()).isTrue();
    assertThatThrownBy(() -> ConfigLoader.parse("log:\n  format: xml\n", "vireo.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("log.format")
        .hasMessageContaining("vireo.yaml:2:")
        .hasMessageContaining("text or json");
  }
}
