package io.vireo.bench.cli;

import java.net.InetSocketAddress;
import picocli.CommandLine.ITypeConverter;

/**
 * Parser for listen addresses written as {@code host:port}, {@code [v6-address]:port} or a bare
 * {@code port} (which binds to 127.0.0.1: a bench tool should never open itself to the network by
 * default).
 */
public final class HostPorts {
  private HostPorts() {}

  /** Returns the socket address {@code text} names; port 0 asks for an ephemeral port. */
  public static InetSocketAddress parse(String text) {
    String trimmed = text.strip();
    String host;
    String port;
    if (trimmed.startsWith("[")) {
      int close = trimmed.indexOf(']');
      if (close < 0 || close + 1 >= trimmed.length() || trimmed.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("expected [address]:port, got '" + text + "'");
      }
      host = trimmed.substring(1, close);
      port = trimmed.substring(close + 2);
    } else {
      int colon = trimmed.lastIndexOf(':');
      host = colon < 0 ? "127.0.0.1" : trimmed.substring(0, colon);
      port = colon < 0 ? trimmed : trimmed.substring(colon + 1);
    }
    int portNumber;
    try {
      portNumber = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a port number in '" + text + "'", e);
    }
    if (portNumber < 0 || portNumber > 65_535) {
      throw new IllegalArgumentException("port out of range in '" + text + "'");
    }
    return new InetSocketAddress(host, portNumber);
  }

  /** Picocli converter for {@link InetSocketAddress} options. */
  public static final class Converter implements ITypeConverter<InetSocketAddress> {
    @Override
    public InetSocketAddress convert(String value) {
      return parse(value);
    }
  }
}
