package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigLoader;
import io.vireo.config.SpoolConfig;
import io.vireo.queue.SpoolOptions;
import io.vireo.relay.testing.TestRelays;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool keys of vireo.yaml reach the spool the relay opens. */
class SpoolSettingsTest {
  @TempDir Path dir;

  @Test
  void theConfigOffersExactlyTheRollCyclesTheSpoolSupports() {
    assertThat(SpoolConfig.ROLL_CYCLES).isEqualTo(SpoolOptions.ROLL_CYCLES);
    assertThat(SpoolConfig.DEFAULT_ROLL_CYCLE).isEqualTo(SpoolOptions.DEFAULT_ROLL_CYCLE);
    assertThat(SpoolConfig.DEFAULT_CONTENT_CACHE)
        .isEqualTo(SpoolOptions.DEFAULT_CONTENT_CACHE_BYTES);
  }

  @Test
  void aNewSpoolIsCreatedWithTheConfiguredRollCycle() throws Exception {
    Path spool = dir.resolve("spool");
    // TestRelays writes its own spool section: put the keys into it.
    String yaml =
        TestRelays.yaml(spool, "")
            .replace("  sync: group\n", "  sync: group\n  roll-cycle: 10m\n  content-cache: off\n");
    assertThat(yaml).contains("roll-cycle: 10m");
    try (Relay relay = Relay.start(ConfigLoader.parse(yaml, "test.yaml"))) {
      assertThat(relay.spool().pending()).isEmpty();
    }
    assertThat(Files.readString(spool.resolve("spool.properties")))
        .contains("rollCycle=" + Duration.ofMinutes(10));
  }
}
