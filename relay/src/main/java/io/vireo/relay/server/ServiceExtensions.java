package io.vireo.relay.server;

import java.util.List;

/**
 * The ESMTP extension keywords listed in the EHLO reply (RFC 5321 section 4.1.1.1). STARTTLS (RFC
 * 3207) and AUTH (RFC 4954) will be added here, depending on the session's security state, when the
 * server supports them.
 */
final class ServiceExtensions {
  private ServiceExtensions() {}

  static List<String> advertised(long maxMessageSize) {
    return List.of(
        "PIPELINING", // RFC 2920
        "SIZE " + maxMessageSize, // RFC 1870
        "8BITMIME", // RFC 6152
        "SMTPUTF8", // RFC 6531
        "ENHANCEDSTATUSCODES", // RFC 2034
        "CHUNKING", // RFC 3030
        "DSN", // RFC 3461
        "HELP");
  }
}
