package io.vireo.config;

import java.net.InetSocketAddress;
import java.util.Objects;

/** A host (name or IP literal, IPv6 without brackets) and a port, as written {@code host:port} or {@code [v6]:port}. */
public record HostPort(String host, int port) {
  public HostPort {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  public InetSocketAddress toSocketAddress() {
    return new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
