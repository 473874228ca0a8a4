package io.vireo.relay.app;

import io.vireo.config.ConfigException;
import io.vireo.config.ConfigLoader;
import io.vireo.config.VireoConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/** Configurations for relays under test: an ephemeral loopback port and a spool in a temp dir. */
final class TestRelays {
  private TestRelays() {}

  /**
   * Delivery that never leaves the machine: every domain is routed to a closed loopback port, so
   * accepted messages stay queued (deferred after their first attempt) and nothing reaches the
   * network.
   */
  static final String PARKED_DELIVERY =
      """
      delivery:
        routes:
          - { domains: ["*"], via: "127.0.0.1:1", tls: none }
      """;

  static String yaml(Path spoolDir, String extra) {
    return yaml(spoolDir, PARKED_DELIVERY, extra);
  }

  static String yaml(Path spoolDir, String delivery, String extra) {
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
        + delivery
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
