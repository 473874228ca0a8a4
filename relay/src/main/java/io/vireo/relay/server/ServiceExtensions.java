package io.vireo.relay.server;

import java.util.ArrayList;
import java.util.List;

/**
 * The ESMTP extension keywords listed in one session's EHLO reply (RFC 5321 section 4.1.1.1). The
 * list is worked out per EHLO from the session's state, since it changes within a session: STARTTLS
 * (RFC 3207) is offered only before TLS is active, and AUTH (RFC 4954) only inside TLS unless the
 * configuration allows it in clear.
 */
final class ServiceExtensions {
  private final List<String> always;
  private final boolean startTlsAvailable;
  private final boolean authAvailable;
  private final boolean authRequiresTls;

  /**
   * @param startTlsAvailable whether this server has a certificate to offer STARTTLS with
   * @param authAvailable whether users are configured for AUTH
   * @param authRequiresTls whether AUTH is offered only inside TLS
   */
  ServiceExtensions(
      long maxMessageSize,
      boolean startTlsAvailable,
      boolean authAvailable,
      boolean authRequiresTls) {
    this.always =
        List.of(
            "PIPELINING", // RFC 2920
            "SIZE " + maxMessageSize, // RFC 1870
            "8BITMIME", // RFC 6152
            "SMTPUTF8", // RFC 6531
            "ENHANCEDSTATUSCODES", // RFC 2034
            "CHUNKING", // RFC 3030
            "DSN"); // RFC 3461
    this.startTlsAvailable = startTlsAvailable;
    this.authAvailable = authAvailable;
    this.authRequiresTls = authRequiresTls;
  }

  /** The keywords for a session in the given state, in a stable order, HELP last. */
  List<String> forSession(boolean tlsActive) {
    List<String> keywords = new ArrayList<>(always.size() + 3);
    keywords.addAll(always);
    // RFC 3207 section 4.2: STARTTLS must not be offered once TLS is active.
    if (startTlsAvailable && !tlsActive) {
      keywords.add("STARTTLS");
    }
    if (authAvailable && (tlsActive || !authRequiresTls)) {
      keywords.add("AUTH PLAIN LOGIN");
    }
    keywords.add("HELP");
    return List.copyOf(keywords);
  }
}
