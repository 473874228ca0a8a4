package io.vireo.relay.dns;

/**
 * A snapshot of an {@link MxResolver}'s two answer caches since it started.
 *
 * @param mxHits MX lookups answered from the cache (including lookups that joined one in flight)
 * @param mxMisses MX lookups that asked the DNS
 * @param addressHits A/AAAA lookups answered from the cache
 * @param addressMisses A/AAAA lookups that asked the DNS
 * @param mxEntries MX answers cached now (an estimate)
 * @param addressEntries address answers cached now (an estimate)
 */
public record ResolverStats(
    long mxHits,
    long mxMisses,
    long addressHits,
    long addressMisses,
    long mxEntries,
    long addressEntries) {}
