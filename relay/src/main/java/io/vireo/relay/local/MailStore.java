package io.vireo.relay.local;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where local delivery writes: the per-user Maildir folders of the mailbox module. Implementations
 * are thread-safe.
 */
public interface MailStore {
  /** Bytes in {@code user}'s mailbox now (0 for a user who has none yet). */
  long usage(String user) throws IOException;

  /**
   * Adds one message to {@code user}'s inbox, creating the mailbox if needed, and returns once it is
   * durable. Atomic: the message is written and synced under {@code tmp/}, then renamed into
   * {@code new/}, so a crash never leaves part of it where a reader looks.
   *
   * @param message the message's bytes, read to the end
   * @param size the number of bytes {@code message} holds
   */
  void deliver(String user, InputStream message, long size) throws IOException;
}
