package io.vireo.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the relay listens: one or more SMTP addresses (STARTTLS offered when a certificate is
 * configured), implicit-TLS submission addresses (RFC 8314; none by default), the admin HTTP
 * address, and the mail access listeners (POP3 and IMAP, plain with STLS/STARTTLS and implicit
 * TLS; none by default).
 *
 * @param proxyFrom the load balancers whose connections on the SMTP, POP3 and IMAP listeners start
 *     with a PROXY protocol header (v1 or v2) naming the real client; empty: the PROXY protocol is
 *     off
 * @param http the HTTP send API's address ({@code listen.http}); empty: the API is off
 */
public record ListenConfig(
    List<HostPort> smtp,
    List<HostPort> smtps,
    HostPort admin,
    List<Cidr> proxyFrom,
    Optional<HostPort> http,
    List<HostPort> pop3,
    List<HostPort> pop3s,
    List<HostPort> imap,
    List<HostPort> imaps) {
  public ListenConfig {
    smtp = List.copyOf(smtp);
    if (smtp.isEmpty()) {
      throw new IllegalArgumentException("at least one SMTP listen address is required");
    }
    smtps = List.copyOf(smtps);
    Objects.requireNonNull(admin, "admin");
    proxyFrom = List.copyOf(proxyFrom);
    Objects.requireNonNull(http, "http");
    pop3 = List.copyOf(pop3);
    pop3s = List.copyOf(pop3s);
    imap = List.copyOf(imap);
    imaps = List.copyOf(imaps);
  }

  /** No HTTP send API, POP3 or IMAP listeners. */
  public ListenConfig(
      List<HostPort> smtp, List<HostPort> smtps, HostPort admin, List<Cidr> proxyFrom) {
    this(
        smtp, smtps, admin, proxyFrom, Optional.empty(), List.of(), List.of(), List.of(), List.of());
  }

  /** These listeners plus the HTTP send API on {@code address}. */
  public ListenConfig withHttp(HostPort address) {
    return new ListenConfig(
        smtp, smtps, admin, proxyFrom, Optional.of(address), pop3, pop3s, imap, imaps);
  }

  /** These listeners with the given POP3 and IMAP addresses. */
  public ListenConfig withAccess(
      List<HostPort> newPop3,
      List<HostPort> newPop3s,
      List<HostPort> newImap,
      List<HostPort> newImaps) {
    return new ListenConfig(
        smtp, smtps, admin, proxyFrom, http, newPop3, newPop3s, newImap, newImaps);
  }

  /** Whether a POP3 listener is asked for, with STLS or implicit TLS. */
  public boolean servesPop3() {
    return !pop3.isEmpty() || !pop3s.isEmpty();
  }

  /** Whether an IMAP listener is asked for, with STARTTLS or implicit TLS. */
  public boolean servesImap() {
    return !imap.isEmpty() || !imaps.isEmpty();
  }

  /** The addresses where TLS comes first, of every protocol. */
  public boolean hasImplicitTls() {
    return !smtps.isEmpty() || !pop3s.isEmpty() || !imaps.isEmpty();
  }

  /** No PROXY protocol. */
  public ListenConfig(List<HostPort> smtp, List<HostPort> smtps, HostPort admin) {
    this(smtp, smtps, admin, List.of());
  }

  /** Plain SMTP listeners only. */
  public ListenConfig(List<HostPort> smtp, HostPort admin) {
    this(smtp, List.of(), admin);
  }
}
