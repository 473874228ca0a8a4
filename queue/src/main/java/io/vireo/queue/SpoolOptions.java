package io.vireo.queue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * How to open a spool.
 *
 * @param directory holds the {@code messages} and {@code events} journals
 * @param durability when {@link Spool#store} returns
 * @param clock source of time for events and retention decisions (tests pass a fixed or manual clock)
 */
public record SpoolOptions(Path directory, Durability durability, Clock clock) {
  public SpoolOptions {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(durability, "durability");
    Objects.requireNonNull(clock, "clock");
  }

  public static SpoolOptions of(Path directory, Durability durability) {
    return new SpoolOptions(directory, durability, Clock.systemUTC());
  }
}
