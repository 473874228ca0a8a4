package io.vireo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code listen.http} and {@code api}: off by default, read, validated with their keys, printed back. */
class ApiConfigTest {
  private static VireoConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse(yaml, "vireo.yaml");
  }

  @Test
  void theApiIsOffByDefault() throws ConfigException {
    VireoConfig defaults = ConfigLoader.defaults();
    assertThat(defaults.listen().http()).isEmpty();
    assertThat(defaults.api()).isEqualTo(ApiConfig.OFF);
    assertThat(parse("listen:\n  http: \"\"\n").listen().http()).isEmpty();
  }

  @Test
  void readsEveryKeyAndPrintsItBack() throws ConfigException {
    VireoConfig config =
        parse(
            """
            listen:
              http: 127.0.0.1:8480
            api:
              keys-file: /etc/vireo/api.keys
              rate: 10/m
              max-body-size: 1MB
              dir: /var/lib/vireo/api
              idempotency-window: 2h
            """);
    assertThat(config.listen().http()).contains(new HostPort("127.0.0.1", 8480));
    assertThat(config.api())
        .isEqualTo(
            new ApiConfig(
                java.util.Optional.of(Path.of("/etc/vireo/api.keys")),
                Rate.parse("10/m"),
                1024 * 1024,
                Path.of("/var/lib/vireo/api"),
                Duration.ofHours(2)));
    assertThat(parse(ConfigPrinter.render(config))).isEqualTo(config);
  }

  @Test
  void anApiWithoutAKeysFileIsRefusedAtItsKey() {
    assertThatThrownBy(() -> parse("listen:\n  http: 127.0.0.1:8480\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("api.keys-file")
        .hasMessageContaining("listen.http is set");
    assertThatThrownBy(() -> parse("api:\n  max-body-size: 10B\n"))
        .hasMessageContaining("api.max-body-size");
  }
}
