package io.vireo.relay.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * The SASL mechanisms Vireo speaks, on both sides of SMTP AUTH (RFC 4954), in order of preference.
 * Both send the password itself, so both belong inside TLS.
 */
public enum SaslMechanism {
  /**
   * RFC 4616: one message, {@code authzid NUL authcid NUL passwd} in UTF-8, usually sent as the
   * initial response (RFC 4954 section 4).
   */
  PLAIN,
  /**
   * The LOGIN mechanism (draft-murchison-sasl-login): the user name, then the password, each in
   * answer to a challenge. Obsolete, but some clients and providers speak nothing else.
   */
  LOGIN;

  /** The mechanism with this name (case-insensitive), if Vireo speaks it. */
  public static Optional<SaslMechanism> named(String name) {
    return switch (name.toUpperCase(Locale.ROOT)) {
      case "PLAIN" -> Optional.of(PLAIN);
      case "LOGIN" -> Optional.of(LOGIN);
      default -> Optional.empty();
    };
  }
}
