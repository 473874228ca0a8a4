package io.vireo.queue;

/**
 * The spool could not do what was asked (an I/O error, a full disk, a closed spool). Nothing that was
 * acknowledged before is affected; the caller answers its client with a temporary failure.
 */
public class SpoolException extends RuntimeException {
  public SpoolException(String message, Throwable cause) {
    super(message, cause);
  }

  public SpoolException(String message) {
    super(message);
  }
}
