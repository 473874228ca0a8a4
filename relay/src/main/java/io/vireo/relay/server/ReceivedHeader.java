package io.vireo.relay.server;

import io.vireo.relay.listen.TlsSession;
import io.vireo.queue.MessageId;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code Received:} trace header this server prepends to every message it accepts (RFC 5321
 * section 4.4; field syntax in RFC 5322 section 3.6.7), folded over three lines:
 *
 * <pre>
 * Received: from client.example ([192.0.2.1])
 *         (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)
 *         by mx.example (Vireo) with ESMTPS id 01J2...
 *         for &lt;bob@example.org&gt;; Tue, 3 Jun 2025 11:05:30 +0000
 * </pre>
 *
 * The comment line naming the TLS version and cipher (as Postfix writes it) is there only when the
 * message came over TLS. The client is named only by its IP literal: no reverse DNS lookup is made
 * on the accept path. The
 * {@code for} clause appears only with exactly one recipient, so a copy does not reveal the others.
 */
final class ReceivedHeader {
  /** RFC 5322 section 3.3 date-time with a numeric zone. */
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US);

  private ReceivedHeader() {}

  static byte[] render(
      String heloName,
      InetAddress client,
      String hostname,
      Optional<TlsSession> tls,
      String protocol,
      MessageId id,
      Optional<String> singleRecipient,
      ZonedDateTime when) {
    String from =
        "Received: from "
            + heloName
            + " ("
            + addressLiteral(client)
            + ")\r\n"
            + tls.map(session -> "\t(using " + session + ")\r\n").orElse("");
    String by = "\tby " + hostname + " (Vireo) with " + protocol + " id " + id;
    String forClause = singleRecipient.map(rcpt -> "\r\n\tfor <" + rcpt + ">; ").orElse(";\r\n\t");
    String header = from + by + forClause + DATE.format(when) + "\r\n";
    return header.getBytes(StandardCharsets.UTF_8);
  }

  /** The header for {@code transaction}, whose content starts now (its id is fixed). */
  static byte[] forTransaction(
      MailTransaction transaction,
      String heloName,
      InetAddress client,
      String hostname,
      Optional<TlsSession> tls,
      boolean extended,
      boolean authenticated,
      ZonedDateTime when) {
    var recipients = transaction.recipients();
    return render(
        heloName,
        client,
        hostname,
        tls,
        protocol(extended, transaction.isSmtpUtf8(), tls.isPresent(), authenticated),
        transaction.id(),
        recipients.size() == 1 ? Optional.of(recipients.getFirst().address()) : Optional.empty(),
        when);
  }

  /**
   * The {@code with} protocol name: SMTP or ESMTP, with S for TLS and A for authentication (RFC
   * 3848), or UTF8SMTP and its variants when the transaction used SMTPUTF8 (RFC 6531 section
   * 3.7.3).
   */
  static String protocol(boolean extended, boolean smtpUtf8, boolean tls, boolean authenticated) {
    if (!extended) {
      return "SMTP";
    }
    String suffix = (tls ? "S" : "") + (authenticated ? "A" : "");
    return (smtpUtf8 ? "UTF8SMTP" : "ESMTP") + suffix;
  }

  /** RFC 5321 section 4.1.3 address literal: {@code [192.0.2.1]} or {@code [IPv6:2001:db8::1]}. */
  static String addressLiteral(InetAddress address) {
    String text = address.getHostAddress();
    int scope = text.indexOf('%');
    if (scope >= 0) {
      text = text.substring(0, scope);
    }
    return address instanceof Inet6Address ? "[IPv6:" + text + "]" : "[" + text + "]";
  }
}
