package io.vireo.relay.auth;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The server side of one PLAIN or LOGIN exchange, as a small state machine: feed it the client's
 * decoded messages, it answers with the next challenge or the credentials. No I/O, no base64.
 */
public final class SaslServerExchange {
  /** What the exchange wants next; a closed set. */
  public sealed interface Step {
    /** Send this challenge (decoded; may be empty), then feed the answer to {@link #next}. */
    record Challenge(byte[] challenge) implements Step {}

    /** The client has given its credentials. */
    record Done(Credentials credentials) implements Step {}

    /** The client's message does not fit the mechanism. */
    record Malformed(String reason) implements Step {}
  }

  private final SaslMechanism mechanism;
  private String loginName;

  public SaslServerExchange(SaslMechanism mechanism) {
    this.mechanism = Objects.requireNonNull(mechanism, "mechanism");
  }

  public SaslMechanism mechanism() {
    return mechanism;
  }

  /**
   * Starts the exchange with the AUTH command's initial response, if any (RFC 4954 section 4;
   * {@code =} there is an empty response, already decoded to zero octets).
   */
  public Step start(Optional<byte[]> initialResponse) {
    if (initialResponse.isPresent()) {
      return next(initialResponse.get());
    }
    return switch (mechanism) {
      case PLAIN -> new Step.Challenge(new byte[0]);
      case LOGIN -> challenge(Sasl.LOGIN_USERNAME_PROMPT);
    };
  }

  /** Takes the client's next message. */
  public Step next(byte[] response) {
    return switch (mechanism) {
      case PLAIN ->
          Sasl.parsePlain(response)
              .<Step>map(Step.Done::new)
              .orElseGet(() -> new Step.Malformed("not a PLAIN message for one user"));
      case LOGIN -> {
        if (loginName == null) {
          Optional<String> name = Sasl.utf8(response);
          if (name.isEmpty() || name.get().isEmpty() || !Sasl.isPrintable(name.get())) {
            yield new Step.Malformed("empty or invalid user name");
          }
          loginName = name.get();
          yield challenge(Sasl.LOGIN_PASSWORD_PROMPT);
        }
        yield new Step.Done(new Credentials(loginName, response));
      }
    };
  }

  private static Step challenge(String prompt) {
    return new Step.Challenge(prompt.getBytes(StandardCharsets.US_ASCII));
  }
}
