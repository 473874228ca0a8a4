package io.vireo.relay.testing;

import io.vireo.config.ConfigException;
import io.vireo.config.ConfigLoader;
import io.vireo.config.VireoConfig;
import io.vireo.relay.app.Relay;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
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

  /**
   * Writes {@code dir/vireo.yaml} for a relay with its spool in {@code dir/spool} and its admin
   * server on a free loopback port chosen now, so that a command in another process (the CLI)
   * can be pointed at it through the file.
   */
  public static Path writeConfig(Path dir, String delivery, String extra) throws IOException {
    Path file = dir.resolve("vireo.yaml");
    Files.writeString(
        file,
        yaml(dir.resolve("spool"), delivery, extra)
            .replace("admin: 127.0.0.1:0", "admin: 127.0.0.1:" + freeLoopbackPort()));
    return file;
  }

  /** A TCP port on loopback that is free at this moment. */
  public static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  public static VireoConfig config(Path spoolDir) throws ConfigException {
    return ConfigLoader.parse(yaml(spoolDir, ""), "test.yaml");
  }

  public static int smtpPort(Relay relay) {
    InetSocketAddress address = relay.smtpAddresses().getFirst();
    return address.getPort();
  }
}
