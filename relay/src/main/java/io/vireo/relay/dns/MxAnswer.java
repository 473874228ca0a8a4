package io.vireo.relay.dns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The cached result of the MX query for one domain, before the MX hosts' addresses are looked up.
 */
sealed interface MxAnswer extends CachedAnswer {

  /** A mail exchanger as named by an MX record. */
  record Exchanger(String host, int preference) {
    public Exchanger {
      Objects.requireNonNull(host, "host");
    }
  }

  /** MX records naming real hosts, sorted by preference, one entry per host. */
  record Exchangers(List<Exchanger> exchangers, Duration ttl) implements MxAnswer {
    public Exchangers {
      exchangers =
          exchangers.stream().sorted(Comparator.comparingInt(Exchanger::preference)).toList();
      if (exchangers.isEmpty()) {
        throw new IllegalArgumentException("no exchangers");
      }
    }

    /**
     * The exchangers in the order to try them: by preference, equal preferences in random order.
     * RFC 5321 section 5.1: the client "MUST randomize" among equal preferences to spread the load.
     */
    List<Exchanger> inDeliveryOrder(RandomGenerator random) {
      List<Exchanger> ordered = new ArrayList<>(exchangers.size());
      int start = 0;
      while (start < exchangers.size()) {
        int end = start + 1;
        int preference = exchangers.get(start).preference();
        while (end < exchangers.size() && exchangers.get(end).preference() == preference) {
          end++;
        }
        List<Exchanger> group = new ArrayList<>(exchangers.subList(start, end));
        if (group.size() > 1) {
          Collections.shuffle(group, random);
        }
        ordered.addAll(group);
        start = end;
      }
      return ordered;
    }
  }

  /** A null MX, {@code 0 .}: the domain accepts no mail (RFC 7505 section 3). */
  record NullMx(Duration ttl) implements MxAnswer {}

  /** The domain exists without MX records: its own address records are the implicit MX. */
  record NoExchangers(Duration ttl) implements MxAnswer {}

  /** The domain does not exist. */
  record NoSuchDomain(Duration ttl) implements MxAnswer {}

  /** No definitive answer; kept only for the short failure TTL. */
  record Failure(String reason, Duration ttl) implements MxAnswer {}
}
