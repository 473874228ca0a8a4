/**
 * MX resolution for the delivery engine: which hosts, in which order, receive mail for a domain.
 *
 * <p>{@link io.vireo.relay.dns.MxResolver#resolve} returns a sealed {@link
 * io.vireo.relay.dns.MxLookup}: hosts ordered by preference with equal preferences shuffled (RFC
 * 5321 section 5.1), the implicit MX when a domain has only A/AAAA records, a null MX (RFC 7505), a
 * missing domain, a domain with no usable exchanger, or a temporary failure to retry later.
 *
 * <p>Queries go over dnsjava to the configured recursive resolvers ({@code delivery.dns.servers},
 * or the system's), at most a bounded number in flight. Two Caffeine caches, one for MX answers and
 * one for host addresses, keep every answer for its TTL clamped to configured bounds, negative
 * answers for the SOA-derived time of RFC 2308 section 5, and failures only a few seconds;
 * concurrent lookups of one name share a single query.
 */
package io.vireo.relay.dns;
