package io.vireo.relay.delivery.outcome;

import io.vireo.relay.protocol.SmtpReply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Replies the delivery engine makes up for outcomes no remote server gave: DNS verdicts, hosts that
 * could not be reached, suspended destinations, expired messages, content that cannot be sent. They
 * read like SMTP replies so that the log, the spool's last reply and the bounce's Diagnostic-Code
 * all have one shape, with the RFC 3463 status the outcome deserves.
 */
public final class LocalReplies {
  private LocalReplies() {}

  /** RFC 7505 section 4.2: a null MX domain accepts no mail; 5.1.10 is its status. */
  public static SmtpReply nullMx(String domain) {
    return SmtpReply.of(
        556, "5.1.10", "Recipient address has null MX: " + domain + " accepts no mail");
  }

  /** RFC 3463 5.1.2: the destination domain does not exist. */
  public static SmtpReply noSuchDomain(String domain) {
    return SmtpReply.of(550, "5.1.2", "Domain " + domain + " does not exist (NXDOMAIN)");
  }

  /**
   * A domain that exists but cannot receive mail: 5.4.4 ("unable to route") when it names MX hosts
   * none of which has an address, else 5.1.2 (no MX and no address records at all).
   */
  public static SmtpReply unroutable(
      String domain, String reason, boolean mxHostsWithoutAddress) {
    return SmtpReply.of(
        550,
        mxHostsWithoutAddress ? "5.4.4" : "5.1.2",
        "Cannot route mail to " + domain + ": " + reason);
  }

  /** RFC 3463 4.4.3: the directory server (DNS) failed; retried later. */
  public static SmtpReply dnsTemporaryFailure(String domain, String reason) {
    return SmtpReply.of(451, "4.4.3", "DNS lookup for " + domain + " failed: " + reason);
  }

  /** RFC 3463 4.4.1: no host of the destination answered. */
  public static SmtpReply noHostReachable(String reasons) {
    return SmtpReply.of(451, "4.4.1", reasons);
  }

  /** RFC 3463 4.4.2: the connection broke during the transaction. */
  public static SmtpReply connectionLost(String reason) {
    return SmtpReply.of(451, "4.4.2", reason);
  }

  /** The destination is paused after trouble; the recipient was not tried at all this time. */
  public static SmtpReply suspended(String destination, Instant until, String reason) {
    return SmtpReply.of(
        451,
        "4.4.1",
        "delivery temporarily suspended for " + destination + " until " + until + ": " + reason);
  }

  /** RFC 3463 4.4.7: the message waited longer than {@code delivery.retry.max-age}. */
  static SmtpReply expired(Duration maxAge, SmtpReply last) {
    return SmtpReply.of(
        451,
        "4.4.7",
        "Delivery time expired: undeliverable for "
            + human(maxAge)
            + "; last error: "
            + last.text());
  }

  /** RFC 6152 section 3 and RFC 3463 5.6.3: 8-bit content that cannot be made 7-bit. */
  public static SmtpReply cannotDowngrade(String remote, String reason) {
    return SmtpReply.of(
        554,
        "5.6.3",
        remote + " does not support 8BITMIME and the message cannot be converted: " + reason);
  }

  /** RFC 6531 section 3.2 and RFC 3463 5.6.7: an SMTPUTF8 message for a server without it. */
  public static SmtpReply needsSmtpUtf8(String remote) {
    return SmtpReply.of(
        553, "5.6.7", remote + " does not support SMTPUTF8, which this message requires");
  }

  /** The spooled content no longer matches its CRC: nothing that can be delivered is left. */
  public static SmtpReply damagedContent() {
    return SmtpReply.of(
        554, "5.3.0", "message content was damaged in the spool and could not be recovered");
  }

  /** {@code suppression.action: hold}: not sent while the address is on the suppression list. */
  public static SmtpReply held() {
    return SmtpReply.of(450, "4.7.1", "held: the recipient address is on the suppression list");
  }

  /** The engine could not finish the attempt (spool trouble, shutdown); nothing was sent. */
  public static SmtpReply localProblem(String reason) {
    return SmtpReply.of(451, "4.3.0", reason);
  }

  /** Stored in the local mailboxes of {@code users}. */
  public static SmtpReply storedInMailbox(List<String> users) {
    return SmtpReply.of(250, "2.0.0", "delivered to mailbox " + String.join(", ", users));
  }

  /** RFC 3463 5.1.1: a local address nobody has (any more). */
  public static SmtpReply noSuchLocalUser(String address) {
    return SmtpReply.of(550, "5.1.1", "no mailbox here by that name: " + address);
  }

  /** RFC 3463 4.2.2: the mailbox is full; deferred until there is room or max-age bounces it. */
  public static SmtpReply mailboxFull(String user, long usage, long quota) {
    return SmtpReply.of(
        452,
        "4.2.2",
        "mailbox of " + user + " is full (" + usage + " of " + quota + " bytes used)");
  }

  /** RFC 3463 4.3.0: the mailbox store could not write the message. */
  public static SmtpReply mailboxWriteFailed(String user, String reason) {
    return SmtpReply.of(451, "4.3.0", "cannot write to the mailbox of " + user + ": " + reason);
  }

  /**
   * A duration the way vireo.yaml writes it: {@code 5d}, {@code 4h}, {@code 90s}, {@code 250ms}.
   */
  public static String human(Duration duration) {
    long millis = duration.toMillis();
    long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (millis >= units[i] && millis % units[i] == 0) {
        return millis / units[i] + names[i];
      }
    }
    return millis + "ms";
  }
}
