package io.vireo.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.Cidr;
import io.vireo.config.RelayConfig;
import io.vireo.relay.protocol.Mailbox;
import io.vireo.relay.protocol.Replies;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelayPolicyTest {
  private static final InetAddress INSIDE = InetAddress.ofLiteral("10.1.2.3");
  private static final InetAddress OUTSIDE = InetAddress.ofLiteral("192.0.2.7");
  private static final InetAddress INSIDE_V6 = InetAddress.ofLiteral("2001:db8::25");

  private final RelayPolicy policy =
      new RelayPolicy(
          new RelayConfig(
              List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8::/32")),
              List.of("local.test", "Mixed.Test", "xn--bcher-kva.test")));

  private static Mailbox to(String localPart, String domain) {
    return new Mailbox(localPart, domain);
  }

  @Test
  void configuredDomainsAreAcceptedFromAnyone() {
    assertThat(policy.recipient(OUTSIDE, false, to("bob", "local.test")))
        .isEqualTo(PolicyDecision.ACCEPT);
    assertThat(policy.recipient(OUTSIDE, false, to("bob", "LOCAL.TEST")))
        .isEqualTo(PolicyDecision.ACCEPT);
    assertThat(policy.recipient(OUTSIDE, false, to("bob", "mixed.test")))
        .isEqualTo(PolicyDecision.ACCEPT);
  }

  @Test
  void uLabelMatchesItsConfiguredALabel() {
    assertThat(policy.recipient(OUTSIDE, false, to("bob", "bücher.test")))
        .isEqualTo(PolicyDecision.ACCEPT);
  }

  @Test
  void otherDomainsOnlyFromAllowedNetworksOrAuthenticatedClients() {
    assertThat(policy.recipient(INSIDE, false, to("bob", "elsewhere.test")))
        .isEqualTo(PolicyDecision.ACCEPT);
    assertThat(policy.recipient(INSIDE_V6, false, to("bob", "elsewhere.test")))
        .isEqualTo(PolicyDecision.ACCEPT);
    assertThat(policy.recipient(OUTSIDE, true, to("bob", "elsewhere.test")))
        .isEqualTo(PolicyDecision.ACCEPT);
    assertThat(policy.recipient(OUTSIDE, false, to("bob", "elsewhere.test")))
        .isEqualTo(new PolicyDecision.Reject(Replies.RELAY_DENIED));
  }

  @Test
  void subdomainsOfConfiguredDomainsAreNotIncluded() {
    assertThat(policy.recipient(OUTSIDE, false, to("bob", "sub.local.test")))
        .isEqualTo(new PolicyDecision.Reject(Replies.RELAY_DENIED));
  }

  @Test
  void localPartTricksDoNotChangeTheDecision() {
    assertThat(policy.recipient(OUTSIDE, false, to("victim%local.test", "elsewhere.test")))
        .isEqualTo(new PolicyDecision.Reject(Replies.RELAY_DENIED));
    assertThat(policy.recipient(OUTSIDE, false, to("\"victim@local.test\"", "elsewhere.test")))
        .isEqualTo(new PolicyDecision.Reject(Replies.RELAY_DENIED));
  }

  /** Issue 10's probe: Postfix refuses these by default ({@code allow_untrusted_routing = no}). */
  @Test
  void senderSpecifiedRoutingToOurDomainsIsRefusedFromUntrustedClientsOnly() {
    for (String localPart : List.of("user%other.example", "\"user@other.example\"", "other.example!user", "a!b%c")) {
      assertThat(policy.recipient(OUTSIDE, false, to(localPart, "local.test")))
          .as(localPart)
          .isEqualTo(new PolicyDecision.Reject(Replies.SENDER_SPECIFIED_ROUTING));
      assertThat(policy.recipient(INSIDE, false, to(localPart, "local.test"))).isEqualTo(PolicyDecision.ACCEPT);
      assertThat(policy.recipient(OUTSIDE, true, to(localPart, "local.test"))).isEqualTo(PolicyDecision.ACCEPT);
    }
    assertThat(policy.recipient(OUTSIDE, false, to("\"john smith\"", "local.test")))
        .isEqualTo(PolicyDecision.ACCEPT);
    assertThat(policy.recipient(OUTSIDE, false, to("first.last+tag", "local.test")))
        .isEqualTo(PolicyDecision.ACCEPT);
  }

  @Test
  void domainlessPostmasterIsRefusedEvenFromInside() {
    assertThat(policy.recipient(INSIDE, false, to("Postmaster", "")))
        .isEqualTo(new PolicyDecision.Reject(Replies.NO_LOCAL_MAILBOXES));
  }
}
