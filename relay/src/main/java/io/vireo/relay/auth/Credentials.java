package io.vireo.relay.auth;

import java.util.Objects;

/**
 * A user name and the password presented with it, as a SASL exchange delivered them. {@link
 * #toString()} leaves the password out, so the record may be logged; {@link #erase()} overwrites
 * the password once it has been checked.
 *
 * @param username the authentication identity (RFC 4616 {@code authcid})
 * @param password the password's UTF-8 octets
 */
public record Credentials(String username, byte[] password) {
  public Credentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  public void erase() {
    java.util.Arrays.fill(password, (byte) 0);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Credentials that
        && username.equals(that.username)
        && java.security.MessageDigest.isEqual(password, that.password);
  }

  @Override
  public int hashCode() {
    return username.hashCode();
  }

  @Override
  public String toString() {
    return "Credentials[username=" + username + ", password=<redacted>]";
  }
}
