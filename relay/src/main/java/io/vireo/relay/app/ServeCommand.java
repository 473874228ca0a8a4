package io.vireo.relay.app;

import io.vireo.config.ConfigException;
import io.vireo.config.VireoConfig;
import io.vireo.queue.SpoolException;
import io.vireo.relay.admin.AdminSetupException;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code vireo serve}: runs the relay in the foreground until SIGTERM/SIGINT. */
@Command(name = "serve", description = "Run the relay in the foreground.")
final class ServeCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Override
  public Integer call() throws Exception {
    VireoConfig loaded;
    try {
      loaded = config.load();
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return 1;
    }
    Relay relay;
    try {
      relay = Relay.start(loaded);
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
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .name("vireo-shutdown")
                .unstarted(
                    () -> {
                      relay.close();
                      stopped.countDown();
                    }));
    stopped.await();
    return 0;
  }
}
