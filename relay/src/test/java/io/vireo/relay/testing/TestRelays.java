package io.vireo.relay.testing;

import io.vireo.config.ConfigException;
import io.vireo.config.ConfigLoader;
import io.vireo.config.VireoConfig;
import io.vireo.relay.app.Relay;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/** Configurations for relays under test: an ephemeral loopback port and a spool in a temp dir. */
public final class TestRelays {
  private TestRelays() {}

  /**
   * Delivery that never leaves the machine: every domain is routed to a closed loopback port, so
   * accepted messages stay queued (deferred after their first attempt) and nothing reaches the
   * network.
   */
  public static final String PARKED_DELIVERY =
      """
      delivery:
        routes:
          - { domains: ["*"], via: "127.0.0.1:1", tls: none }
      """;

  public static String yaml(Path spoolDir, String extra) {
    return yaml(spoolDir, PARKED_DELIVERY, extra);
  }

  public static String yaml(Path spoolDir, String delivery, String extra) {
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

  /**
   * Delivery of {@code domain} ("*" for all) to a next hop on loopback without TLS, e.g. a {@link
   * ScriptedSmtpServer}.
   */
  public static String deliveryTo(String domain, ScriptedSmtpServer nextHop) {
    return """
        delivery:
          tls: none
          routes:
            - { domains: ["%s"], via: "%s:%d", tls: none }
        """
        .formatted(domain, nextHop.address().getAddress().getHostAddress(), nextHop.port());
  }

  public static VireoConfig config(Path spoolDir) throws ConfigException {
    return ConfigLoader.parse(yaml(spoolDir, ""), "test.yaml");
  }

  public static int smtpPort(Relay relay) {
    InetSocketAddress address = relay.smtpAddresses().getFirst();
    return address.getPort();
  }
}
