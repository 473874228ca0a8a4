package io.vireo.relay.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/** The properties every mailbox the path parser returns must have, shared by the fuzz tests. */
final class MailboxChecks {
  private MailboxChecks() {}

  /**
   * Within the RFC 5321 section 4.5.3.1 limits, and with a domain that is one domain name or
   * address literal: nothing in it can route the message elsewhere than where the relay check
   * looks.
   */
  static void withinLimits(Mailbox mailbox) {
    String local = mailbox.localPart();
    String domain = mailbox.domain();
    assertThat(local.getBytes(UTF_8).length).as("local part of %s", mailbox).isBetween(1, 64);
    assertThat(domain.getBytes(UTF_8).length).as("domain of %s", mailbox).isLessThanOrEqualTo(255);
    if (domain.isEmpty()) {
      assertThat(local).as("the only domain-less recipient").isEqualToIgnoringCase("postmaster");
      return;
    }
    if (domain.startsWith("[")) {
      // dcontent (RFC 5321 section 4.1.3) is printable ASCII but "[", "\\" and "]": "@", "<" and
      // ">" may appear in a general address literal.
      assertThat(domain.substring(1)).endsWith("]").doesNotContain(" ", "[", "\\");
      assertThat(domain.indexOf(']')).isEqualTo(domain.length() - 1);
    } else {
      for (String label : domain.split("\\.", -1)) {
        assertThat(label).as("label of %s", domain).isNotEmpty().doesNotStartWith("-").doesNotEndWith("-");
        assertThat(label.codePoints().allMatch(c -> c >= 0x80 || Character.isLetterOrDigit(c) || c == '-'))
            .as("label %s of %s", label, domain)
            .isTrue();
      }
    }
    if (!local.startsWith("\"")) {
      assertThat(local).as("unquoted local part").doesNotContain("@", " ", "<", ">", "\"", "..");
    }
  }
}
