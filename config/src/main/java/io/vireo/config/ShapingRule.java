package io.vireo.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One entry of {@code delivery.shaping}: limits for destinations whose recipient domain or any MX
 * host name matches one of the patterns (exact, {@code *.suffix} or {@code *}; lower-cased here).
 * Fields a rule leaves out in vireo.yaml are filled from {@code delivery.defaults} while loading,
 * so {@link #limits()} is always complete.
 */
public record ShapingRule(List<String> match, DestinationLimits limits) {
  public ShapingRule {
    match = match.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
    if (match.isEmpty()) {
      throw new IllegalArgumentException("a shaping rule needs at least one match pattern");
    }
    for (String pattern : match) {
      if (!DomainNames.isValidPattern(pattern)) {
        throw new IllegalArgumentException(
            "not a domain pattern (exact, *.suffix or *): " + pattern);
      }
    }
    Objects.requireNonNull(limits, "limits");
  }

  /**
   * True when a pattern matches {@code domain} or one of {@code mxHosts}; names are compared
   * case-insensitively and a trailing dot (as DNS answers carry) is ignored.
   */
  public boolean matches(String domain, List<String> mxHosts) {
    return DomainNames.anyMatches(match, domain)
        || mxHosts.stream().anyMatch(host -> DomainNames.anyMatches(match, host));
  }
}
