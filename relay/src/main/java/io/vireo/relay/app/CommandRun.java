package io.vireo.relay.app;

import io.vireo.config.ConfigException;
import java.io.IOException;

/**
 * How the commands that edit a file named by the configuration ({@code vireo user}, {@code vireo
 * apikey}) end: 0 when the action ran, else 1 with one line on standard error, worded by what
 * failed (the configuration, the user's input, the disk, or something unforeseen).
 */
final class CommandRun {
  private CommandRun() {}

  @FunctionalInterface
  interface Action {
    void run() throws Exception;
  }

  /**
   * Runs {@code action} for {@code command} (e.g. {@code "vireo user"}); a {@code usage} exception
   * is the user's mistake, shown as its message alone, as {@link UserCommand.UsageException} is.
   */
  static int run(String command, Class<? extends Exception> usage, Action action) {
    try {
      action.run();
      return 0;
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
    } catch (Exception e) {
      if (e instanceof UserCommand.UsageException || usage.isInstance(e)) {
        System.err.println(command + ": " + e.getMessage());
      } else if (e instanceof IOException) {
        System.err.println(command + ": " + e);
      } else {
        System.err.println(command + ": failed: " + e);
      }
    }
    return 1;
  }
}
