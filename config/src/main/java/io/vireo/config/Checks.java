package io.vireo.config;

import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by the config records' compact constructors. */
final class Checks {
  private Checks() {}

  static void requirePositive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be greater than zero: " + value);
    }
  }

  static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be greater than zero: " + value);
    }
  }
}
