package io.vireo.relay.dns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Reduces a DNS reply to the {@link RrsetAnswer} for the question that was asked. */
final class ReplyReader {

  private ReplyReader() {}

  /**
   * Aliases followed before giving up; recursive resolvers return whole chains, loops are broken
   * here.
   */
  private static final int MAX_CNAME_CHAIN = 8;

  /** Reads {@code reply} to a query for {@code name}/{@code type}. */
  static RrsetAnswer read(Message reply, Name name, int type, Duration defaultNegativeTtl) {
    int rcode = reply.getRcode();
    if (rcode == Rcode.NXDOMAIN) {
      // RFC 6604 section 3: after a CNAME the code describes the chain's last name, which is what
      // we
      // would deliver to; a dangling alias is as undeliverable as a missing name.
      return new RrsetAnswer.NameError(negativeTtl(reply, defaultNegativeTtl));
    }
    if (rcode != Rcode.NOERROR) {
      return new RrsetAnswer.Failure(Type.string(type) + " " + name + ": " + Rcode.string(rcode));
    }
    List<Record> answers = reply.getSection(Section.ANSWER);
    Name owner = name;
    long ttlSeconds = Long.MAX_VALUE;
    for (int hop = 0; hop <= MAX_CNAME_CHAIN; hop++) {
      List<Record> matches = new ArrayList<>();
      CNAMERecord alias = null;
      for (Record record : answers) {
        if (!record.getName().equals(owner)) {
          continue;
        }
        if (record.getType() == type) {
          matches.add(record);
        } else if (record.getType() == Type.CNAME && alias == null) {
          alias = (CNAMERecord) record;
        }
      }
      if (!matches.isEmpty()) {
        for (Record record : matches) {
          ttlSeconds = Math.min(ttlSeconds, record.getTTL());
        }
        return new RrsetAnswer.Found(matches, Duration.ofSeconds(ttlSeconds));
      }
      if (alias == null) {
        // NODATA, whether the server sent an SOA (RFC 2308) or an empty answer as dnsmasq does.
        Duration negative = negativeTtl(reply, defaultNegativeTtl);
        return new RrsetAnswer.Empty(
            ttlSeconds == Long.MAX_VALUE
                ? negative
                : min(negative, Duration.ofSeconds(ttlSeconds)));
      }
      ttlSeconds = Math.min(ttlSeconds, alias.getTTL());
      owner = alias.getTarget();
    }
    return new RrsetAnswer.Failure(
        Type.string(type) + " " + name + ": CNAME chain longer than " + MAX_CNAME_CHAIN);
  }

  /**
   * RFC 2308 section 5: a negative answer lives for the smaller of the SOA record's own TTL and its
   * MINIMUM field. Servers that send no SOA get {@code defaultNegativeTtl}; the section's advice
   * not to cache those at all protects resolvers re-serving answers to each other, which this cache
   * never does.
   */
  private static Duration negativeTtl(Message reply, Duration defaultNegativeTtl) {
    for (Record record : reply.getSection(Section.AUTHORITY)) {
      if (record instanceof SOARecord soa) {
        return Duration.ofSeconds(Math.min(soa.getTTL(), soa.getMinimum()));
      }
    }
    return defaultNegativeTtl;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
