package io.vireo.relay.auth;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;

/**
 * The client side of one PLAIN or LOGIN exchange, the mirror of {@link SaslServerExchange}: it
 * hands out the decoded messages the mechanism sends, in order. No I/O, no base64.
 *
 * <p>PLAIN has one message, which may go as the AUTH command's initial response (RFC 4954 section
 * 4) or in answer to the server's empty challenge; LOGIN answers its two challenges with the user
 * name, then the password, whatever their wording. A challenge after the last message has no
 * answer: the caller cancels the exchange.
 */
public final class SaslClientExchange {
  private final SaslMechanism mechanism;
  private final Queue<byte[]> messages = new ArrayDeque<>(2);

  public SaslClientExchange(SaslMechanism mechanism, String username, String password) {
    this.mechanism = Objects.requireNonNull(mechanism, "mechanism");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    switch (mechanism) {
      case PLAIN -> messages.add(Sasl.plainMessage(username, password));
      case LOGIN -> messages.addAll(Sasl.loginResponses(username, password));
    }
  }

  public SaslMechanism mechanism() {
    return mechanism;
  }

  /**
   * Whether the first message may go with the AUTH command: PLAIN's does (RFC 4616 section 2 is
   * written for it), LOGIN waits for its first challenge.
   */
  public boolean hasInitialResponse() {
    return mechanism == SaslMechanism.PLAIN;
  }

  /**
   * The next message to send: the initial response, or the answer to the server's latest challenge;
   * empty when the mechanism has nothing more to say.
   */
  public Optional<byte[]> next() {
    return Optional.ofNullable(messages.poll());
  }
}
