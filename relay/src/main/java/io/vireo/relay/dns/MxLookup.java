package io.vireo.relay.dns;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of finding where mail for one domain goes: a closed set, so the delivery engine's
 * switch must handle each case.
 *
 * <p>Every {@link #domain()} is the name actually looked up: lower-case A-labels without a trailing
 * dot. Suggested dispositions: {@link Resolved} deliver; {@link NullMx} bounce 5.1.10 (RFC 7505
 * section 3); {@link NoSuchDomain} bounce 5.1.2; {@link NoData} bounce 5.1.2, or 5.4.4 when MX
 * hosts exist but none has an address; {@link TempFail} defer 4.4.3 (RFC 5321 section 4.5.4.1).
 */
public sealed interface MxLookup {

  /** The looked-up domain, in the normalised form described on {@link MxLookup}. */
  String domain();

  /**
   * Hosts to try in order (RFC 5321 section 5.1): ascending preference, equal preferences shuffled
   * per call so load spreads across them. Never empty; every host has at least one address. A
   * domain without MX records yields its implicit MX: one host named after the domain, preference
   * 0.
   */
  record Resolved(String domain, List<MxHost> hosts) implements MxLookup {
    public Resolved {
      Objects.requireNonNull(domain, "domain");
      hosts = List.copyOf(hosts);
      if (hosts.isEmpty()) {
        throw new IllegalArgumentException("a resolved domain needs at least one host");
      }
    }
  }

  /** The domain publishes a null MX ({@code 0 .}): it accepts no mail at all (RFC 7505). */
  record NullMx(String domain) implements MxLookup {
    public NullMx {
      Objects.requireNonNull(domain, "domain");
    }
  }

  /**
   * The domain does not exist (NXDOMAIN, RFC 1035 section 4.1.1), or the name could never exist in
   * the DNS (an invalid label): permanent.
   */
  record NoSuchDomain(String domain) implements MxLookup {
    public NoSuchDomain {
      Objects.requireNonNull(domain, "domain");
    }
  }

  /**
   * The domain exists but mail cannot be routed to it, definitively: either it has no MX and no
   * A/AAAA records, so even the implicit MX is unusable, or it has MX records none of whose hosts
   * has an address record. RFC 5321 section 5.1 puts both cases together ("this situation MUST be
   * reported as an error"), and the DNS said so authoritatively, so this is permanent; a merely
   * unreachable or unanswered host gives {@link TempFail} instead. {@code reason} says which case
   * it was.
   */
  record NoData(String domain, String reason) implements MxLookup {
    public NoData {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * No definitive answer (SERVFAIL, REFUSED, timeout, too many queries in flight): defer and retry
   * later. Cached only briefly, so a retry soon after asks the DNS again.
   */
  record TempFail(String domain, String reason) implements MxLookup {
    public TempFail {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
