package io.vireo.relay.protocol;

import java.io.IOException;

/** The bytes before the first SMTP exchange were not a well-formed PROXY protocol header. */
public final class ProxyHeaderException extends IOException {
  public ProxyHeaderException(String message) {
    super(message);
  }
}
