package io.vireo.queue;

/**
 * The spool refused a message because its file system is (nearly) full. Temporary by nature: the
 * caller answers with a 4xx (RFC 3463 4.3.1, "mail system full") and the client retries later.
 */
public class SpoolFullException extends SpoolException {
  public SpoolFullException(String message) {
    super(message);
  }

  public SpoolFullException(String message, Throwable cause) {
    super(message, cause);
  }
}
