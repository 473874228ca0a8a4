package io.vireo.relay.app;

import io.vireo.config.ConfigException;
import io.vireo.config.VireoConfig;
import io.vireo.queue.SpoolException;
import io.vireo.relay.admin.AdminSetupException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import sun.misc.Signal;

/**
 * {@code vireo serve}: runs the relay in the foreground. SIGTERM and SIGINT drain it and exit 0;
 * SIGHUP reloads the configuration file.
 */
@Command(name = "serve", description = "Run the relay in the foreground.")
final class ServeCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  @Mixin ConfigOption config;

  @Override
  public Integer call() throws Exception {
    VireoConfig loaded;
    Path file;
    try {
      file = config.file().orElse(null);
      loaded = config.load();
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return 1;
    }
    // VIREO_LOG_LEVEL, when set, wins at start (logback.xml reads it); a reload applies log.level.
    if (System.getenv("VIREO_LOG_LEVEL") == null) {
      LogLevels.apply(loaded.log().level());
    }
    LogLevels.format(loaded.log().json());
    AtomicReference<Relay> started = new AtomicReference<>();
    CountDownLatch stopRequested = new CountDownLatch(1);
    // The JVM's own handling of SIGTERM would run shutdown hooks and exit 143; handling it here
    // drains on this thread and exits 0, as a supervisor expects of a clean stop.
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(
          new Signal(name),
          signal -> {
            log.info("SIG{} received: draining", signal.getName());
            stopRequested.countDown();
          });
    }
    // Signal handlers run on a thread of their own; a reload holds its own lock. Installed before
    // the start, so a SIGTERM during a long spool recovery drains right after it.
    Signal.handle(
        new Signal("HUP"),
        signal -> {
          log.info("SIGHUP received: reloading the configuration");
          Relay running = started.get();
          if (running == null) {
            log.warn("SIGHUP before the relay finished starting: ignored");
          } else {
            running.reload();
          }
        });
    Relay relay;
    try {
      relay = Relay.start(loaded, file);
    } catch (SpoolException e) {
      // One line with the path and the fix, not a stack trace.
      System.err.println("vireo: " + e.getMessage());
      return 1;
    } catch (AdminSetupException | IOException e) {
      // Operator errors (a token file, a port in use, an unreadable certificate): the message
      // says what to fix.
      System.err.println("vireo: cannot start: " + e.getMessage());
      return 1;
    }
    started.set(relay);
    // Any other way out of the JVM (System.exit elsewhere, SIGQUIT is not one) still drains.
    Runtime.getRuntime()
        .addShutdownHook(Thread.ofPlatform().name("vireo-shutdown").unstarted(relay::close));
    stopRequested.await();
    relay.close();
    return 0;
  }
}
