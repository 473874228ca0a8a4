package io.vireo.relay.intake;

import io.vireo.relay.protocol.NulOctets;
import java.util.Objects;

/**
 * What the intake checks in a whole submitted message: its size and NUL octets, the same limits
 * the SMTP session applies while it reads ({@code limits.max-message-size}, {@code limits.nul}).
 */
public record ContentPolicy(long maxMessageSize, NulOctets nul) {
  public ContentPolicy {
    if (maxMessageSize <= 0) {
      throw new IllegalArgumentException("maxMessageSize must be positive");
    }
    Objects.requireNonNull(nul, "nul");
  }
}
