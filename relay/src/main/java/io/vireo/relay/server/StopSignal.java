package io.vireo.relay.server;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A session's answer to "may a shutdown cut this short?": waits for the client (a command, the
 * greeting check) run through {@link #whileWaitingForClient}, and {@link #requestStop} from another
 * thread wakes such a wait at once, while work the client is not waiting on (receiving or storing a
 * message) runs to its end.
 */
final class StopSignal {
  @FunctionalInterface
  interface ClientWait<T> {
    T await() throws IOException;
  }

  /** How to wake a blocked read; the session shuts its transport's input down. */
  @FunctionalInterface
  interface Waker {
    void wake() throws IOException;
  }

  private final ReentrantLock lock = new ReentrantLock();
  private boolean waitingForClient; // guarded by lock
  private boolean stopRequested; // guarded by lock

  /**
   * Asks for a stop at the next command boundary; wakes a wait in progress with {@code waker}.
   *
   * @throws IOException from the waker
   */
  void requestStop(Waker waker) throws IOException {
    lock.lock();
    try {
      stopRequested = true;
      if (waitingForClient) {
        waker.wake();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs a wait for the client that a stop may cut short.
   *
   * @return the wait's result, or null if a stop was requested
   */
  <T> T whileWaitingForClient(ClientWait<T> wait) throws IOException {
    lock.lock();
    try {
      if (stopRequested) {
        return null;
      }
      waitingForClient = true;
    } finally {
      lock.unlock();
    }
    T result;
    try {
      result = wait.await();
    } catch (IOException e) {
      // Waking a reader under TLS ends its read with an error rather than end of input.
      if (isStopRequested()) {
        return null;
      }
      throw e;
    } finally {
      lock.lock();
      try {
        waitingForClient = false;
      } finally {
        lock.unlock();
      }
    }
    return isStopRequested() ? null : result;
  }

  private boolean isStopRequested() {
    lock.lock();
    try {
      return stopRequested;
    } finally {
      lock.unlock();
    }
  }
}
