package io.vireo.relay.testing;

import io.vireo.config.ConfigLoader;
import io.vireo.relay.app.Relay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real relays for one test: each on ephemeral loopback SMTP and admin ports with its spool in a
 * directory of its own, stopped after the test, passed or failed, and the directory removed. A
 * test starts one with the delivery and extra YAML it is about ({@link TestRelays#yaml}), or has a
 * relay with parked delivery started before each test ({@link #parkedBeforeEach()}).
 *
 * <pre>{@code
 * @RegisterExtension final RelayExtension relays = new RelayExtension();
 *
 * @Test
 * void something() throws Exception {
 *   Relay relay = relays.start(TestRelays.deliveryTo("example.net", nextHop), "");
 *   try (SmtpTestClient client = relays.client()) { ... }
 * }
 * }</pre>
 */
public final class RelayExtension implements BeforeEachCallback, AfterEachCallback {
  private final boolean parkedBeforeEach;
  private final List<Relay> started = new ArrayList<>();
  private Path dir;

  /** Starts nothing by itself: the test calls {@link #start}. */
  public RelayExtension() {
    this(false);
  }

  private RelayExtension(boolean parkedBeforeEach) {
    this.parkedBeforeEach = parkedBeforeEach;
  }

  /** A relay with {@link TestRelays#PARKED_DELIVERY} running before each test: {@link #relay()}. */
  public static RelayExtension parkedBeforeEach() {
    return new RelayExtension(true);
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("vireo-relay-");
    if (parkedBeforeEach) {
      start(TestRelays.PARKED_DELIVERY, "");
    }
  }

  /** This test's directory; the spool of the relays started here is {@code dir()/spool}. */
  public Path dir() {
    return dir;
  }

  /** Starts a relay from {@link TestRelays#yaml} with this delivery section and extra YAML. */
  public Relay start(String delivery, String extra) throws Exception {
    return startYaml(TestRelays.yaml(dir.resolve("spool"), delivery, extra));
  }

  /** Starts a relay from a whole configuration, for tests that write every section themselves. */
  public Relay startYaml(String yaml) throws Exception {
    Relay relay = Relay.start(ConfigLoader.parse(yaml, "test.yaml"));
    started.add(relay);
    return relay;
  }

  /** The relay started last. */
  public Relay relay() {
    if (started.isEmpty()) {
      throw new IllegalStateException("no relay started in this test");
    }
    return started.getLast();
  }

  /** The last relay's SMTP port. */
  public int smtpPort() {
    return TestRelays.smtpPort(relay());
  }

  /** A client connected to the last relay's SMTP port, past its 220. */
  public SmtpTestClient client() throws IOException {
    return SmtpTestClient.greeted("127.0.0.1", smtpPort());
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    // Last started, first stopped; close() is idempotent, so a test may stop a relay itself.
    for (Relay relay : started.reversed()) {
      relay.close();
    }
    started.clear();
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
      dir = null;
    }
  }
}
