package io.vireo.relay.admin;

/** The admin server cannot start as configured (its token file is missing or empty, say). */
public final class AdminSetupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AdminSetupException(String message, Throwable cause) {
    super(message, cause);
  }

  public AdminSetupException(String message) {
    super(message);
  }
}
