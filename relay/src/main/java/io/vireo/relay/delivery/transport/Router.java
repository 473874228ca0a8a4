package io.vireo.relay.delivery.transport;

import io.vireo.config.DeliveryConfig;
import io.vireo.config.RouteAuth;
import io.vireo.config.RouteConfig;
import io.vireo.config.TlsMode;
import io.vireo.relay.delivery.outcome.LocalReplies;
import io.vireo.relay.delivery.smtp.SmtpCredentials;
import io.vireo.relay.delivery.smtp.TlsPolicy;
import io.vireo.relay.dns.MxHost;
import io.vireo.relay.dns.MxLookup;
import io.vireo.relay.dns.MxResolver;
import io.vireo.relay.local.LocalDelivery;
import java.util.List;
import java.util.Optional;

/**
 * Decides where mail for a recipient domain goes, and so by which {@link Transport}: a {@code
 * local.domains} domain into local mailboxes (destination {@code local}); else the first matching
 * {@code delivery.routes} entry, a capture route into its user's mailbox (destination {@code
 * capture:USER}) or SMTP to its next hop; else SMTP to the domain's MX hosts on {@code
 * delivery.port}. Thread-safe; MX lookups block (for at most the resolver's lookup timeout).
 *
 * <p>A route with {@code auth} is its own destination per user ({@code route:host:port as user}):
 * two routes through one provider with different accounts never share a queue, a connection or a
 * backoff (a rejected password suspends only its own route).
 */
public final class Router {
  private final DeliveryConfig config;
  private final MxResolver resolver;
  private final LocalDelivery local;

  public Router(DeliveryConfig config, MxResolver resolver) {
    this(config, resolver, LocalDelivery.none());
  }

  public Router(DeliveryConfig config, MxResolver resolver, LocalDelivery local) {
    this.config = config;
    this.resolver = resolver;
    this.local = local;
  }

  public Routing route(String domain) {
    if (local.isLocal(domain)) {
      return new Routing.Deliver(
          "local", new Transport.LocalMailbox(), config.limitsFor(domain, List.of()));
    }
    Optional<RouteConfig> route = config.routeFor(domain);
    if (route.isPresent() && route.get().isCapture()) {
      String user = route.get().captureMailbox();
      return new Routing.Deliver(
          "capture:" + user, new Transport.Capture(user), config.limitsFor(domain, List.of()));
    }
    if (route.isPresent()) {
      RouteConfig via = route.get();
      SmtpCredentials credentials = via.authentication().map(Router::credentials).orElse(null);
      return new Routing.Deliver(
          "route:" + via.via() + (credentials == null ? "" : " as " + credentials.username()),
          new NextHops.Smarthost(via.via(), tlsPolicy(via.tls()), credentials),
          config.limitsFor(domain, List.of(via.via().host())));
    }
    return switch (resolver.resolve(domain)) {
      case MxLookup.Resolved resolved -> {
        List<String> names = resolved.hosts().stream().map(MxHost::name).toList();
        yield new Routing.Deliver(
            "mx:" + String.join(",", names.stream().sorted().distinct().toList()),
            new NextHops.MxHosts(resolved.hosts(), config.port(), tlsPolicy(config.tls())),
            config.limitsFor(domain, names));
      }
      case MxLookup.NullMx nullMx -> new Routing.Fail(LocalReplies.nullMx(nullMx.domain()));
      case MxLookup.NoSuchDomain missing ->
          new Routing.Fail(LocalReplies.noSuchDomain(missing.domain()));
      case MxLookup.NoData noData ->
          // MxResolver words the case of MX hosts without any address this way (see NoData).
          new Routing.Fail(
              LocalReplies.unroutable(
                  noData.domain(),
                  noData.reason(),
                  noData.reason().startsWith("no MX host has an address")));
      case MxLookup.TempFail tempFail ->
          new Routing.Defer(LocalReplies.dnsTemporaryFailure(tempFail.domain(), tempFail.reason()));
    };
  }

  public static SmtpCredentials credentials(RouteAuth auth) {
    return new SmtpCredentials(auth.username(), auth.password());
  }

  static TlsPolicy tlsPolicy(TlsMode mode) {
    return switch (mode) {
      case NONE -> TlsPolicy.NONE;
      case OPPORTUNISTIC -> TlsPolicy.OPPORTUNISTIC;
      case REQUIRED -> TlsPolicy.REQUIRED;
      case VERIFY -> TlsPolicy.VERIFY;
    };
  }
}
