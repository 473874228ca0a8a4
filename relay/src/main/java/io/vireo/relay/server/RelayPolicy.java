package io.vireo.relay.server;

import io.vireo.config.Cidr;
import io.vireo.config.RelayConfig;
import io.vireo.relay.local.LocalDelivery;
import io.vireo.relay.local.RecipientCheck;
import io.vireo.relay.protocol.Mailbox;
import io.vireo.relay.protocol.Replies;
import java.io.IOException;
import java.net.IDN;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, at RCPT time, whether this server may take mail for a recipient: mail for a {@code
 * local.domains} address with a mailbox is accepted from anyone (an unknown user gets 550 5.1.1, a
 * full mailbox 452 4.2.2); mail for the configured {@code relay.domains} is accepted from anyone; mail for any other domain only from clients in
 * {@code relay.allowNetworks} or authenticated ones (SMTP AUTH). Everything else is an
 * open-relay attempt and gets 554 5.7.1.
 *
 * <p>The judgement uses the recipient's domain as parsed by the protocol layer, which has already
 * dropped any source route and kept {@code %}, {@code !} and quoted {@code @} inside the local
 * part.
 * Such a local part addressed to one of our domains asks the next hop to route the mail on
 * (sender-specified routing, RFC 5321 section 3.6.1 and appendix C); from a client that may not
 * relay it gets 550 5.7.1, since the next hop might honour it and relay on our word.
 */
final class RelayPolicy {
  private static final Logger log = LoggerFactory.getLogger(RelayPolicy.class);

  private final List<Cidr> allowNetworks;
  private final Set<String> domains;
  private final LocalDelivery local;

  RelayPolicy(RelayConfig config) {
    this(config, LocalDelivery.none());
  }

  RelayPolicy(RelayConfig config, LocalDelivery local) {
    this.local = local;
    this.allowNetworks = config.allowNetworks();
    this.domains =
        config.domains().stream()
            .map(RelayPolicy::normalize)
            .collect(Collectors.toUnmodifiableSet());
  }

  PolicyDecision recipient(InetAddress client, boolean authenticated, Mailbox recipient) {
    if (recipient.isLocalPostmaster()) {
      return new PolicyDecision.Reject(Replies.NO_LOCAL_MAILBOXES);
    }
    if (local.isLocal(recipient.domain())) {
      return localRecipient(recipient);
    }
    boolean trusted = authenticated || isAllowedNetwork(client);
    if (domains.contains(normalize(recipient.domain()))) {
      return trusted || !routesOnward(recipient.localPart())
          ? PolicyDecision.ACCEPT
          : new PolicyDecision.Reject(Replies.SENDER_SPECIFIED_ROUTING);
    }
    return trusted ? PolicyDecision.ACCEPT : new PolicyDecision.Reject(Replies.RELAY_DENIED);
  }

  private PolicyDecision localRecipient(Mailbox recipient) {
    RecipientCheck check;
    try {
      check = local.check(recipient.localPart(), recipient.domain());
    } catch (IOException e) {
      log.warn("cannot look at the mailbox of {}: {}", recipient.address(), e.toString());
      return new PolicyDecision.Defer(Replies.MAILBOX_UNAVAILABLE);
    }
    return switch (check) {
      case RecipientCheck.Accept accept -> PolicyDecision.ACCEPT;
      case RecipientCheck.Unknown unknown -> new PolicyDecision.Reject(Replies.NO_SUCH_USER);
      case RecipientCheck.OverQuota full -> new PolicyDecision.Defer(Replies.MAILBOX_FULL);
      // isLocal said yes a moment ago; a reload in between made it a relayed domain.
      case RecipientCheck.NotLocal notLocal ->
          new PolicyDecision.Defer(Replies.MAILBOX_UNAVAILABLE);
    };
  }

  /** {@code %} and {@code !} anywhere, or an {@code @} (only possible quoted) in the local part. */
  private static boolean routesOnward(String localPart) {
    return localPart.indexOf('%') >= 0
        || localPart.indexOf('!') >= 0
        || localPart.indexOf('@') >= 0;
  }

  private boolean isAllowedNetwork(InetAddress client) {
    for (Cidr network : allowNetworks) {
      if (network.contains(client)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Domains compare case-insensitively (RFC 5321 section 2.4), and a U-label compares as its
   * A-label, so {@code bücher.example} and {@code xn--bcher-kva.example} are one domain.
   */
  static String normalize(String domain) {
    String lower = domain.toLowerCase(Locale.ROOT);
    try {
      return IDN.toASCII(lower, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return lower;
    }
  }
}
