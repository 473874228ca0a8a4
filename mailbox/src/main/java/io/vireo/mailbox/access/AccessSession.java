package io.vireo.mailbox.access;

import java.io.IOException;

/** One POP3 or IMAP conversation, run on the connection's own virtual thread until it ends. */
@FunctionalInterface
public interface AccessSession {
  /** Serves the client until it quits, times out or the channel fails; the caller closes. */
  void serve(AccessChannel channel) throws IOException, InterruptedException;
}
