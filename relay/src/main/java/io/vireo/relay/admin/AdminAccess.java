package io.vireo.relay.admin;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may use the admin server. Without a token file it is open, which is allowed only on a
 * loopback address (where only local users reach it); with one, requests must carry {@code
 * Authorization: Bearer TOKEN} (RFC 6750 section 2.1), whatever the address ({@link
 * AdminServer#PROBES} excepted).
 *
 * <p>Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, which takes the
 * same time whatever the input: neither the content nor the length of the token leaks through
 * response times.
 */
public final class AdminAccess {
  private static final String BEARER = "bearer ";

  private final byte[] expectedDigest;

  private AdminAccess(byte[] expectedDigest) {
    this.expectedDigest = expectedDigest;
  }

  /** No token: anyone who can connect may use the server. */
  public static AdminAccess open() {
    return new AdminAccess(null);
  }

  /** Requests must carry {@code token}. */
  public static AdminAccess bearer(String token) {
    if (token.isBlank()) {
      throw new IllegalArgumentException("an admin token must not be blank");
    }
    return new AdminAccess(sha256(token));
  }

  /**
   * The access for an admin server bound to {@code address}: the token read from {@code tokenFile}
   * when there is one; open on a loopback address otherwise.
   *
   * @throws AdminSetupException when the address is not loopback and there is no token file, or
   *     the file cannot be read or holds no token
   */
  public static AdminAccess forAddress(InetAddress address, Optional<Path> tokenFile) {
    if (tokenFile.isEmpty()) {
      if (!requiresToken(address)) {
        return open();
      }
      throw new AdminSetupException(
          "listen.admin "
              + address.getHostAddress()
              + " is not a loopback address: set admin.token-file");
    }
    Path file = tokenFile.get();
    String token;
    try {
      token = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new AdminSetupException(
          "admin.token-file " + file + ": cannot read it (" + e.getClass().getSimpleName() + ")",
          e);
    }
    if (token.isEmpty() || token.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      throw new AdminSetupException(
          "admin.token-file "
              + file
              + ": must hold one token without spaces or control characters");
    }
    return bearer(token);
  }

  /** Any address but loopback (the wildcard included) reaches the network. */
  public static boolean requiresToken(InetAddress address) {
    return !address.isLoopbackAddress();
  }

  /** True when requests must carry the token. */
  public boolean tokenRequired() {
    return expectedDigest != null;
  }

  /** Whether a request with this {@code Authorization} header value (null if absent) may pass. */
  public boolean permits(String authorization) {
    if (expectedDigest == null) {
      return true;
    }
    if (authorization == null
        || authorization.length() <= BEARER.length()
        || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      return false;
    }
    return MessageDigest.isEqual(
        expectedDigest, sha256(authorization.substring(BEARER.length()).strip()));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
