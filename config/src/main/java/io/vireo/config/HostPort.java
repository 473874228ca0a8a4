package io.vireo.config;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A host (name or IP literal, IPv6 without brackets) and a port, as written {@code host:port} or
 * {@code [v6]:port}.
 */
public record HostPort(String host, int port) {
  /** Passed to {@link #parse(String, int)} when the text must carry its own port. */
  public static final int PORT_REQUIRED = -1;

  public HostPort {
    Objects.requireNonNull(host, "host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("host is empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** Parses {@code host:port} or {@code [v6]:port}; the port is required. */
  public static HostPort parse(String text) {
    return parse(text, PORT_REQUIRED);
  }

  /**
   * Parses {@code host:port}, {@code [v6]:port}, {@code host}, {@code [v6]} or a bare IPv6 literal,
   * using {@code defaultPort} when none is written ({@link #PORT_REQUIRED} to insist on one). The
   * host must be an IP literal or a syntactically valid host name; nothing is resolved.
   *
   * @throws IllegalArgumentException with a short reason when the text is not of that form
   */
  public static HostPort parse(String text, int defaultPort) {
    String s = text.strip();
    String host;
    String port;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ] after the IPv6 address");
      }
      host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (!rest.isEmpty() && !rest.startsWith(":")) {
        throw new IllegalArgumentException("unexpected text after ]");
      }
      port = rest.isEmpty() ? null : rest.substring(1);
      if (!IpLiterals.isIpv6(host)) {
        throw new IllegalArgumentException("not an IPv6 address: " + host);
      }
    } else if (s.indexOf(':') != s.lastIndexOf(':')) {
      // Several colons: a bare IPv6 literal, which cannot carry a port without brackets.
      if (!IpLiterals.isIpv6(s)) {
        throw new IllegalArgumentException("not an IPv6 address: " + s);
      }
      host = s;
      port = null;
    } else {
      int colon = s.indexOf(':');
      host = colon < 0 ? s : s.substring(0, colon);
      port = colon < 0 ? null : s.substring(colon + 1);
      if (!IpLiterals.isIpv4(host) && !DomainNames.isValid(host)) {
        throw new IllegalArgumentException("not an IP address or host name: \"" + host + "\"");
      }
    }
    if (port == null) {
      if (defaultPort == PORT_REQUIRED) {
        throw new IllegalArgumentException(
            host.indexOf(':') >= 0 ? "port missing (write [" + host + "]:port)" : "port missing");
      }
      return new HostPort(host, defaultPort);
    }
    return new HostPort(host, parsePort(port));
  }

  private static int parsePort(String text) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("port is not a number 0..65535: \"" + text + "\"");
    }
    int port = Integer.parseInt(text);
    if (port > 65535) {
      throw new IllegalArgumentException("port out of range 0..65535: " + port);
    }
    return port;
  }

  /** True when the host is an IP literal rather than a name. */
  public boolean isIpLiteral() {
    return IpLiterals.isIpLiteral(host);
  }

  public InetSocketAddress toSocketAddress() {
    return new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
