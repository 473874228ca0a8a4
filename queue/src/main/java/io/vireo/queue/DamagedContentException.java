package io.vireo.queue;

/**
 * A message's content is in the spool but no longer reads as written (its CRC-32C fails, or its
 * records are damaged): retrying cannot help, so delivery fails it and tells the sender.
 */
public final class DamagedContentException extends SpoolException {
  public DamagedContentException(String message) {
    super(message);
  }
}
