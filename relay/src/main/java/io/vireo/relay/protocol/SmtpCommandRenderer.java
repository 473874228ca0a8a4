package io.vireo.relay.protocol;

import io.vireo.queue.BodyType;
import io.vireo.queue.Notify;
import io.vireo.queue.Ret;
import io.vireo.relay.protocol.SmtpCommand.Auth;
import io.vireo.relay.protocol.SmtpCommand.Bdat;
import io.vireo.relay.protocol.SmtpCommand.Data;
import io.vireo.relay.protocol.SmtpCommand.Ehlo;
import io.vireo.relay.protocol.SmtpCommand.Expn;
import io.vireo.relay.protocol.SmtpCommand.Helo;
import io.vireo.relay.protocol.SmtpCommand.Help;
import io.vireo.relay.protocol.SmtpCommand.MailFrom;
import io.vireo.relay.protocol.SmtpCommand.Noop;
import io.vireo.relay.protocol.SmtpCommand.Quit;
import io.vireo.relay.protocol.SmtpCommand.RcptTo;
import io.vireo.relay.protocol.SmtpCommand.Rset;
import io.vireo.relay.protocol.SmtpCommand.StartTls;
import io.vireo.relay.protocol.SmtpCommand.Unknown;
import io.vireo.relay.protocol.SmtpCommand.Vrfy;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Writes an {@link SmtpCommand} as a command line (without its CRLF): the inverse of {@link
 * SmtpCommandParser}, so the SMTP client speaks in the same records the server reads. Stateless and
 * free of I/O.
 *
 * <p>For every command the parser produces, parsing the rendered line gives the same command back;
 * the rendering is the canonical form (upper-case verbs and keywords, one space between parameters,
 * default values left out), so a line the parser accepts renders to the line a client would send.
 */
public final class SmtpCommandRenderer {
  private SmtpCommandRenderer() {}

  public static String render(SmtpCommand command) {
    return switch (command) {
      case Ehlo(String clientName) -> "EHLO " + clientName;
      case Helo(String clientName) -> "HELO " + clientName;
      case MailFrom mail -> mail(mail);
      case RcptTo rcpt -> rcpt(rcpt);
      case Data() -> "DATA";
      case Bdat(long chunkSize, boolean last) -> "BDAT " + chunkSize + (last ? " LAST" : "");
      case Rset() -> "RSET";
      case Noop() -> "NOOP";
      case Quit() -> "QUIT";
      case StartTls() -> "STARTTLS";
      case Help help -> help.topic().map(topic -> "HELP " + topic).orElse("HELP");
      case Vrfy(String argument) -> "VRFY " + argument;
      case Expn(String argument) -> "EXPN " + argument;
      case Auth auth ->
          "AUTH " + auth.mechanism() + auth.initialResponse().map(r -> " " + r).orElse("");
      case Unknown(String verb) -> verb;
    };
  }

  /**
   * RFC 5321 section 4.1.1.2 with the parameters in a fixed order: SIZE (RFC 1870 section 6), BODY
   * (RFC 6152 section 2; 7BIT is the default and left out), SMTPUTF8 (RFC 6531 section 3.4), RET
   * and ENVID (RFC 3461 sections 4.3 and 4.4).
   */
  private static String mail(MailFrom mail) {
    StringBuilder line = new StringBuilder(64).append("MAIL FROM:<").append(mail.sender());
    line.append('>');
    MailParameters parameters = mail.parameters();
    parameters.size().ifPresent(size -> line.append(" SIZE=").append(size));
    if (parameters.body() != BodyType.SEVEN_BIT) {
      line.append(" BODY=").append(body(parameters.body()));
    }
    if (parameters.smtpUtf8()) {
      line.append(" SMTPUTF8");
    }
    if (parameters.ret() != Ret.UNSPECIFIED) {
      line.append(" RET=").append(parameters.ret().name());
    }
    parameters.envelopeId().ifPresent(envid -> line.append(" ENVID=").append(envid));
    return line.toString();
  }

  private static String body(BodyType body) {
    return switch (body) {
      case SEVEN_BIT -> "7BIT";
      case EIGHT_BIT_MIME -> "8BITMIME";
      case BINARY_MIME -> "BINARYMIME";
    };
  }

  /** RFC 5321 section 4.1.1.3 with the DSN parameters NOTIFY and ORCPT (RFC 3461 section 4). */
  private static String rcpt(RcptTo rcpt) {
    StringBuilder line = new StringBuilder(64).append("RCPT TO:<");
    line.append(rcpt.forwardPath().address()).append('>');
    if (!rcpt.notifications().isEmpty()) {
      line.append(notify(rcpt.notifications()));
    }
    rcpt.originalRecipient().ifPresent(orcpt -> line.append(" ORCPT=").append(orcpt));
    return line.toString();
  }

  /** RFC 3461 section 4.1: NEVER stands alone; otherwise a comma list in a fixed order. */
  private static String notify(Set<Notify> notifications) {
    StringJoiner notify = new StringJoiner(",", " NOTIFY=", "");
    if (notifications.contains(Notify.NEVER)) {
      return notify.add(Notify.NEVER.name()).toString();
    }
    for (Notify value : Notify.values()) {
      if (notifications.contains(value)) {
        notify.add(value.name());
      }
    }
    return notify.toString();
  }
}
