package io.vireo.relay.dns;

import java.time.Duration;
import java.util.List;
import org.xbill.DNS.Record;

/** What a DNS reply said about one name and record type, before any caching policy is applied. */
sealed interface RrsetAnswer {

  /**
   * Records of the asked type, reached through any CNAME chain in the answer; {@code ttl} is the
   * smallest TTL of the records and aliases used (RFC 2181 section 5.2: an RRset shares one TTL).
   */
  record Found(List<Record> records, Duration ttl) implements RrsetAnswer {
    public Found {
      records = List.copyOf(records);
    }
  }

  /** The name exists but has no record of the asked type (NODATA, RFC 2308 section 2.2). */
  record Empty(Duration negativeTtl) implements RrsetAnswer {}

  /** The name does not exist (NXDOMAIN, RFC 2308 section 2.1). */
  record NameError(Duration negativeTtl) implements RrsetAnswer {}

  /** No definitive answer: a server failure, a refusal, a timeout or no permit to ask. */
  record Failure(String reason) implements RrsetAnswer {}
}
