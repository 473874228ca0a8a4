package io.vireo.mailbox.store;

/**
 * A user's maildrop held exclusively by one POP3 session (RFC 1939 section 8: the server locks the
 * maildrop on entering the TRANSACTION state); closing it lets the next session in.
 */
public interface MaildropLock extends AutoCloseable {
  /** The user whose maildrop this is. */
  String user();

  /** Releases the lock; closing twice is harmless. */
  @Override
  void close();
}
