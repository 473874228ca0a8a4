package io.vireo.relay.delivery.smtp;

/**
 * Opens a new connection for a pool key; {@link SmtpClientConnection#opener} is the real one. A
 * seam so the pool's bookkeeping can be measured without the cost of connecting.
 */
@FunctionalInterface
public interface ConnectionOpener {
  SmtpClientConnection open(PoolKey key) throws SmtpClientException;
}
