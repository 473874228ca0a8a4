package io.vireo.mailbox.access;

import java.net.InetAddress;

/**
 * Checks a user name and password for POP3 and IMAP, against the same user store and failed-login
 * throttle as SMTP AUTH; the relay supplies it.
 */
@FunctionalInterface
public interface Logins {
  /**
   * @param password the password's bytes; the caller clears them afterwards
   */
  Login check(String user, byte[] password, InetAddress client) throws InterruptedException;
}
