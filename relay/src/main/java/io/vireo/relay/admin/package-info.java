/**
 * The admin HTTP server on {@code listen.admin}: {@code /healthz}, {@code /readyz} and {@code
 * /metrics}. It reads the relay through the {@code stats()} snapshots of the listener, spool,
 * delivery engine and MX resolver ({@link io.vireo.relay.admin.StatsSources}), so nothing on the
 * message path knows it exists.
 */
package io.vireo.relay.admin;
