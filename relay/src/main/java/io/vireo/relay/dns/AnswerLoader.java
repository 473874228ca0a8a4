package io.vireo.relay.dns;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Asks the DNS for a domain's MX records or a host's addresses and reduces the replies to cacheable
 * answers whose TTLs already follow the configured policy.
 */
final class AnswerLoader {

  private final DnsClient client;
  private final MxResolverOptions options;

  AnswerLoader(DnsClient client, MxResolverOptions options) {
    this.client = client;
    this.options = options;
  }

  /** Looks up the MX records of a normalised domain; blocks until the answer or the deadline. */
  MxAnswer loadMx(String domain, long deadlineNanos) {
    Name name = DomainNames.toAbsoluteName(domain);
    return switch (client.send(name, Type.MX, deadlineNanos).join()) {
      case RrsetAnswer.Found found -> exchangers(found);
      case RrsetAnswer.Empty empty ->
          new MxAnswer.NoExchangers(options.clampTtl(empty.negativeTtl()));
      case RrsetAnswer.NameError error ->
          new MxAnswer.NoSuchDomain(options.clampTtl(error.negativeTtl()));
      case RrsetAnswer.Failure failure ->
          new MxAnswer.Failure(failure.reason(), options.tempFailTtl());
    };
  }

  /**
   * Looks up a host's A and AAAA records in parallel; blocks until both answer or the deadline.
   * IPv4 addresses come first: receivers reject IPv6 senders more often (missing reverse DNS,
   * stricter reputation), so trying IPv4 first delivers sooner; the delivery engine may still
   * reorder.
   */
  AddressAnswer loadAddresses(String host, long deadlineNanos) {
    Name name = DomainNames.toAbsoluteName(host);
    CompletableFuture<RrsetAnswer> v4 = client.send(name, Type.A, deadlineNanos);
    CompletableFuture<RrsetAnswer> v6 = client.send(name, Type.AAAA, deadlineNanos);
    List<RrsetAnswer> answers = List.of(v4.join(), v6.join());

    List<InetAddress> addresses = new ArrayList<>();
    Duration ttl = options.maxTtl();
    String failure = null;
    for (RrsetAnswer answer : answers) {
      switch (answer) {
        case RrsetAnswer.Found found -> {
          for (Record record : found.records()) {
            switch (record) {
              case ARecord a -> addresses.add(a.getAddress());
              case AAAARecord aaaa -> addresses.add(aaaa.getAddress());
              default -> {}
            }
          }
          ttl = min(ttl, found.ttl());
        }
        // A missing family is re-asked when its negative TTL ends, so a new AAAA is seen in time.
        case RrsetAnswer.Empty empty -> ttl = min(ttl, empty.negativeTtl());
        case RrsetAnswer.NameError error -> ttl = min(ttl, error.negativeTtl());
        case RrsetAnswer.Failure f -> {
          failure = failure == null ? f.reason() : failure + "; " + f.reason();
          ttl = min(ttl, options.tempFailTtl());
        }
      }
    }
    if (!addresses.isEmpty()) {
      return new AddressAnswer.Addresses(addresses, options.clampTtl(ttl));
    }
    if (failure != null) {
      return new AddressAnswer.Failure(failure, options.tempFailTtl());
    }
    return new AddressAnswer.NoAddresses(options.clampTtl(ttl));
  }

  private MxAnswer exchangers(RrsetAnswer.Found found) {
    Duration ttl = options.clampTtl(found.ttl());
    Map<String, Integer> bestPreference = new LinkedHashMap<>();
    for (Record record : found.records()) {
      MXRecord mx = (MXRecord) record;
      if (mx.getTarget().equals(Name.root)) {
        // RFC 7505 section 3: "0 ." means no mail. It must be the only MX; if a broken zone mixes
        // it
        // with real hosts, the real hosts are still the better guess at the owner's intent.
        continue;
      }
      // The same host listed twice keeps its best preference.
      bestPreference.merge(DomainNames.fromName(mx.getTarget()), mx.getPriority(), Math::min);
    }
    if (bestPreference.isEmpty()) {
      return new MxAnswer.NullMx(ttl);
    }
    List<MxAnswer.Exchanger> exchangers = new ArrayList<>();
    bestPreference.forEach(
        (host, preference) -> exchangers.add(new MxAnswer.Exchanger(host, preference)));
    return new MxAnswer.Exchangers(exchangers, ttl);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
