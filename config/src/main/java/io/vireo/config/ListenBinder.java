package io.vireo.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds {@code listen}, {@code admin} and {@code tls}: the addresses Vireo listens on and what they
 * need (a certificate for implicit TLS, a bearer token for an admin address off loopback).
 */
final class ListenBinder {
  private ListenBinder() {}

  static AdminConfig admin(YamlSection s, AdminConfig d) {
    Path tokenFile = s.get("token-file", ValueType.PATH, d.tokenFile());
    return s.build(() -> new AdminConfig(tokenFile), d);
  }

  static TlsConfig tls(YamlSection s, TlsConfig d) {
    Optional<Path> certFile = s.get("cert-file", ValueType.OPTIONAL_PATH, d.certFile());
    Optional<Path> keyFile = s.get("key-file", ValueType.OPTIONAL_PATH, d.keyFile());
    if (certFile.isPresent() != keyFile.isPresent()) {
      s.problem(
          certFile.isPresent() ? "key-file" : "cert-file",
          "tls.cert-file and tls.key-file go together: set both, or neither for no TLS");
      return d;
    }
    return s.build(() -> new TlsConfig(certFile, keyFile), d);
  }

  static ListenConfig listen(
      YamlSection s, ListenConfig d, boolean tlsEnabled, AdminConfig adminConfig) {
    List<HostPort> smtp = s.list("smtp", ValueType.LISTEN_ADDRESS, d.smtp(), true);
    if (smtp.isEmpty()) {
      s.problem("smtp", "at least one SMTP listen address is required");
      smtp = d.smtp();
    }
    List<HostPort> smtps = s.list("smtps", ValueType.LISTEN_ADDRESS, d.smtps(), true);
    if (!smtps.isEmpty() && !tlsEnabled) {
      s.problem("smtps", "implicit TLS needs a certificate: set tls.cert-file and tls.key-file");
      smtps = d.smtps();
    }
    List<HostPort> pop3 = s.list("pop3", ValueType.LISTEN_ADDRESS, d.pop3(), true);
    List<HostPort> pop3s = implicitTls(s, "pop3s", d.pop3s(), tlsEnabled);
    List<HostPort> imap = s.list("imap", ValueType.LISTEN_ADDRESS, d.imap(), true);
    List<HostPort> imaps = implicitTls(s, "imaps", d.imaps(), tlsEnabled);
    HostPort admin = s.get("admin", ValueType.LISTEN_ADDRESS, d.admin());
    Optional<HostPort> http = s.get("http", ValueType.OPTIONAL_LISTEN_ADDRESS, d.http());
    reportDuplicateAddresses(
        s,
        List.of(
            Map.entry("smtp", smtp),
            Map.entry("smtps", smtps),
            Map.entry("pop3", pop3),
            Map.entry("pop3s", pop3s),
            Map.entry("imap", imap),
            Map.entry("imaps", imaps),
            Map.entry("admin", List.of(admin)),
            Map.entry("http", http.map(List::of).orElse(List.of()))));
    if (adminConfig.token().isEmpty() && !isLoopback(admin)) {
      // Metrics and (later) queue control must never be open to the network by accident.
      s.problem(
          "admin",
          admin
              + " is not a loopback address: set admin.token-file so admin requests need a bearer"
              + " token");
    }
    // Only these peers may name another client address; everything else is taken at its word.
    List<Cidr> proxyFrom = s.list("proxy-from", ValueType.NETWORK, d.proxyFrom(), false);
    List<HostPort> smtpAddresses = smtp;
    List<HostPort> smtpsAddresses = smtps;
    return s.build(
        () ->
            new ListenConfig(
                smtpAddresses, smtpsAddresses, admin, proxyFrom, http, pop3, pop3s, imap, imaps),
        d);
  }

  /** An implicit-TLS listener list ({@code pop3s}, {@code imaps}): it needs a certificate. */
  private static List<HostPort> implicitTls(
      YamlSection s, String key, List<HostPort> d, boolean tlsEnabled) {
    List<HostPort> addresses = s.list(key, ValueType.LISTEN_ADDRESS, d, true);
    if (!addresses.isEmpty() && !tlsEnabled) {
      s.problem(key, "implicit TLS needs a certificate: set tls.cert-file and tls.key-file");
      return d;
    }
    return addresses;
  }

  /** Listen addresses are IP literals (checked as they are read), so this resolves nothing. */
  static boolean isLoopback(HostPort address) {
    return IpLiterals.parse(address.host()).isLoopbackAddress();
  }

  /** Two listeners on one fixed address would fail at bind time; say so while the file is open. */
  private static void reportDuplicateAddresses(
      YamlSection s, List<Map.Entry<String, List<HostPort>>> listeners) {
    Map<HostPort, String> seen = new HashMap<>();
    for (Map.Entry<String, List<HostPort>> listener : listeners) {
      String key = listener.getKey();
      for (HostPort address : listener.getValue()) {
        String previous = address.port() == 0 ? null : seen.putIfAbsent(address, key);
        if (previous != null) {
          s.problem(key, address + " is already used by listen." + previous);
        }
      }
    }
  }
}
