package io.vireo.relay.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The PLAIN and LOGIN mechanisms in one place, for the SMTP server (which takes credentials apart)
 * and the SMTP client (which puts them together), with the base64 form both sides put on the wire
 * (RFC 4954 section 4). The exchanges themselves are {@link SaslServerExchange} and {@link
 * SaslClientExchange}.
 */
public final class Sasl {
  /** LOGIN's two challenges, as every implementation words them. */
  public static final String LOGIN_USERNAME_PROMPT = "Username:";

  public static final String LOGIN_PASSWORD_PROMPT = "Password:";

  /**
   * What a client sends instead of a response to give up on an exchange (RFC 4954 section 4); the
   * server answers 501.
   */
  public static final String CANCEL = "*";

  private Sasl() {}

  // ---- client side ----

  /** RFC 4616 section 2: the PLAIN message with an empty authzid (act as the user). */
  public static byte[] plainMessage(String username, String password) {
    return ("\0" + username + "\0" + password).getBytes(StandardCharsets.UTF_8);
  }

  /** The LOGIN mechanism's two responses: the user name, then the password. */
  public static List<byte[]> loginResponses(String username, String password) {
    return List.of(
        username.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8));
  }

  /** A message as it goes over SMTP, in a 334 challenge or a response (RFC 4954 section 4). */
  public static String base64(byte[] message) {
    return Base64.getEncoder().encodeToString(message);
  }

  /** A message as it came over SMTP; empty if {@code text} is not base64. */
  public static Optional<byte[]> fromBase64(String text) {
    try {
      return Optional.of(Base64.getDecoder().decode(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  // ---- server side ----

  /**
   * Takes a PLAIN message apart (RFC 4616 section 2): {@code [authzid] NUL authcid NUL passwd}. An
   * authzid naming someone other than the authcid asks to act as another user, which this server
   * does not allow.
   *
   * @return the credentials, or empty if the message is malformed or asks for another identity
   */
  public static Optional<Credentials> parsePlain(byte[] message) {
    int first = indexOf(message, 0);
    int second = first < 0 ? -1 : indexOf(message, first + 1);
    if (first < 0 || second < 0 || indexOf(message, second + 1) >= 0) {
      return Optional.empty();
    }
    Optional<String> authzid = utf8(Arrays.copyOfRange(message, 0, first));
    Optional<String> authcid = utf8(Arrays.copyOfRange(message, first + 1, second));
    byte[] password = Arrays.copyOfRange(message, second + 1, message.length);
    if (authzid.isEmpty() || authcid.isEmpty() || authcid.get().isEmpty() || password.length == 0) {
      return Optional.empty();
    }
    if (!authzid.get().isEmpty() && !authzid.get().equals(authcid.get())) {
      return Optional.empty();
    }
    if (!isPrintable(authcid.get())) {
      return Optional.empty();
    }
    return Optional.of(new Credentials(authcid.get(), password));
  }

  /** Strict UTF-8 (RFC 4616 requires it); empty on malformed input. */
  public static Optional<String> utf8(byte[] octets) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(octets))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether a user name has no control characters: no user could have one (see {@link
   * UsersFile#nameProblem}), and it is logged.
   */
  public static boolean isPrintable(String name) {
    return name.codePoints().noneMatch(Character::isISOControl);
  }

  private static int indexOf(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        return i;
      }
    }
    return -1;
  }
}
