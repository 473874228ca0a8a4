package io.vireo.relay.compose;

/** A draft that cannot become a message (a malformed address, a forbidden header); says which. */
public final class ComposeException extends RuntimeException {
  public ComposeException(String message) {
    super(message);
  }

  public ComposeException(String message, Throwable cause) {
    super(message, cause);
  }
}
