package io.vireo.bench.mail;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * The server and account a mailbox workload reads.
 *
 * @param server IMAP or POP3 address, as the workload needs
 * @param user login name
 * @param password its password (a test account's)
 * @param mailbox the IMAP mailbox to SELECT
 * @param timeout bound on connecting and on each response
 */
record MailTarget(InetSocketAddress server, String user, String password, String mailbox, Duration timeout) {
  MailTarget {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(mailbox, "mailbox");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
  }

  ImapClient imap() throws java.io.IOException {
    return ImapClient.open(server, timeout);
  }

  Pop3Client pop3() throws java.io.IOException {
    return Pop3Client.open(server, timeout);
  }
}
