package io.vireo.relay.server;

import io.vireo.relay.listen.Transport;
import io.vireo.relay.protocol.SmtpInput;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * RFC 5321 section 3.1: the client must wait for the greeting; one that sends first is no real
 * MTA (a spam tool racing the server). With a greeting delay ({@link
 * ServerSettings#greetingDelay()}) the greeting waits that long for such a client to show itself.
 */
final class EarlyTalker {
  private EarlyTalker() {}

  /** Whether the client sent anything before the greeting, waiting up to {@code delay}. */
  static boolean talksFirst(SmtpInput input, Transport transport, Duration delay)
      throws IOException {
    if (delay.isZero()) {
      return input.hasInput();
    }
    transport.readTimeout(delay);
    try {
      return input.awaitInput();
    } catch (SocketTimeoutException e) {
      return false;
    }
  }
}
