package io.vireo.mailbox.access;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.nio.charset.StandardCharsets;

/**
 * The SASL PLAIN message (RFC 4616) that POP3 AUTH (RFC 5034) and IMAP AUTHENTICATE (RFC 9051)
 * carry: {@code [authzid] NUL authcid NUL passwd}, base64-encoded on the wire. An authorization
 * identity other than the user's own is refused: no one may act as someone else here.
 *
 * @param password the password's octets; the caller clears them after the check
 */
public record PlainCredentials(String user, byte[] password) {
  public PlainCredentials {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
  }

  /**
   * Decodes a client's base64 response; empty when it is not valid base64 or not a PLAIN message
   * (two NULs, a non-empty user and password, no foreign authorization identity).
   */
  public static Optional<PlainCredentials> decode(String base64) {
    byte[] message;
    try {
      message = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    try {
      int first = indexOfNul(message, 0);
      int second = first < 0 ? -1 : indexOfNul(message, first + 1);
      if (second < 0 || indexOfNul(message, second + 1) >= 0) {
        return Optional.empty();
      }
      String authzid = new String(message, 0, first, StandardCharsets.UTF_8);
      String authcid = new String(message, first + 1, second - first - 1, StandardCharsets.UTF_8);
      byte[] password = Arrays.copyOfRange(message, second + 1, message.length);
      if (authcid.isEmpty() || password.length == 0 || !(authzid.isEmpty() || authzid.equals(authcid))) {
        Arrays.fill(password, (byte) 0);
        return Optional.empty();
      }
      return Optional.of(new PlainCredentials(authcid, password));
    } finally {
      Arrays.fill(message, (byte) 0);
    }
  }

  private static int indexOfNul(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        return i;
      }
    }
    return -1;
  }
}
