package io.vireo.relay.dns;

import java.time.Duration;

/** An answer held in one of the resolver's caches, for as long as {@link #ttl()} says. */
interface CachedAnswer {

  /** How long the answer stays cached: the DNS TTL after clamping, or the short failure TTL. */
  Duration ttl();
}
