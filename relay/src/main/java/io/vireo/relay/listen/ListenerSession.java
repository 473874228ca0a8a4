package io.vireo.relay.listen;

/**
 * One protocol session as the {@link Listener} runs and drains it: {@link #run()} on the
 * connection's own virtual thread, the other two from the listener's threads.
 */
public interface ListenerSession {
  /** Serves the client to the end, then closes the connection; never throws. */
  void run();

  /**
   * Asks the session to end at its next command boundary (a drain): a session waiting for the
   * client says goodbye at once; one busy for the client (receiving or storing a message, sending
   * one) finishes that first.
   */
  void requestStop();

  /** Ends the session now: closes the connection and interrupts its thread. */
  void abort();
}
