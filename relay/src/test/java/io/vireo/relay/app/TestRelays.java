package io.vireo.relay.app;

import io.vireo.config.ConfigException;
import io.vireo.config.ConfigLoader;
import io.vireo.config.VireoConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/** Configurations for relays under test: an ephemeral loopback port and a spool in a temp dir. */
final class TestRelays {
  private TestRelays() {}

  static String yaml(Path spoolDir, String extra) {
    return """
        hostname: relay.test
        listen:
          smtp: 127.0.0.1:0
          admin: 127.0.0.1:0
        spool:
          dir: "%s"
          sync: group
        """
            .formatted(spoolDir.toAbsolutePath())
        + extra;
  }

  static VireoConfig config(Path spoolDir) throws ConfigException {
    return ConfigLoader.parse(yaml(spoolDir, ""), "test.yaml");
  }

  static int smtpPort(Relay relay) {
    InetSocketAddress address = relay.smtpAddresses().getFirst();
    return address.getPort();
  }
}
