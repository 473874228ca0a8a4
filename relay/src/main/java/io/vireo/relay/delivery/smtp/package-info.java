/**
 * The outbound SMTP client: delivers one message at a time to a remote MX over a reusable
 * connection, with per-recipient results.
 *
 * <p>{@link io.vireo.relay.delivery.smtp.SmtpClientConnection} opens a session (greeting, EHLO with
 * HELO fallback, STARTTLS under a {@link io.vireo.relay.delivery.smtp.TlsPolicy}, SMTP AUTH with
 * {@link io.vireo.relay.delivery.smtp.SmtpCredentials} when given) and sends {@link
 * io.vireo.relay.delivery.smtp.OutboundMessage}s: PIPELINING when offered, SIZE, 8BITMIME, SMTPUTF8
 * and DSN parameters when offered, dot-stuffed content with CRLF line endings only. Each recipient
 * ends with a {@link io.vireo.relay.delivery.smtp.RecipientResult} classified as delivered,
 * transient or permanent; a lost or timed-out connection throws {@link
 * io.vireo.relay.delivery.smtp.SmtpClientException} and every recipient not yet final is to be
 * deferred. {@link io.vireo.relay.delivery.smtp.ConnectionPool} keeps idle connections per {@link
 * io.vireo.relay.delivery.smtp.PoolKey} between messages.
 *
 * <p>Inside a connection, one class per job: {@code ClientHandshake} (greeting, EHLO, STARTTLS,
 * then {@code ClientAuthentication} for AUTH), {@code TransactionPlanner} (local refusals and the
 * MAIL and RCPT commands for one server), {@code ClientTransaction} (MAIL, RCPT, DATA and the
 * per-recipient replies), {@code ClientTransport} (bytes, deadlines, TLS upgrade) with {@code
 * ReplyReader}. Commands are the server's own {@link io.vireo.relay.protocol.SmtpCommand} records,
 * written by {@link io.vireo.relay.protocol.SmtpCommandRenderer}; replies are read into {@link
 * io.vireo.relay.protocol.SmtpReply}; PLAIN and LOGIN come from {@link
 * io.vireo.relay.auth.SaslClientExchange}.
 *
 * <p>Everything blocks; callers are expected to be virtual threads. Every read and write has a
 * deadline from {@link io.vireo.relay.delivery.smtp.ClientTimeouts}.
 */
package io.vireo.relay.delivery.smtp;
