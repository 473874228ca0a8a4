package io.vireo.relay.delivery.smtp;

import io.vireo.relay.protocol.SmtpCommand;
import io.vireo.relay.protocol.SmtpCommand.Data;
import io.vireo.relay.protocol.SmtpCommand.MailFrom;
import io.vireo.relay.protocol.SmtpCommand.RcptTo;
import io.vireo.relay.protocol.SmtpReply;
import java.util.ArrayList;
import java.util.List;

/**
 * One message made ready for a transaction on a given connection: its MAIL and RCPT commands, which
 * recipients are offered to the server, and the results array that the transaction fills in
 * (recipients refused locally have theirs already). A plan with nobody to offer is settled without
 * a transaction.
 *
 * @param message the message as the caller handed it over
 * @param results one slot per recipient of the message, in order
 * @param offered the indexes of the recipients sent as RCPT, in order
 * @param mail the MAIL command; null when the plan is settled
 * @param rcpts one RCPT command per offered recipient
 */
record TransactionPlan(
    OutboundMessage message,
    SmtpReply[] results,
    List<Integer> offered,
    MailFrom mail,
    List<RcptTo> rcpts) {

  /** Nothing to send: every recipient already has its (local) result. */
  boolean settled() {
    return offered.isEmpty();
  }

  /** MAIL, the RCPTs and DATA, in order: the commands of one pipelined group. */
  List<SmtpCommand> commands() {
    List<SmtpCommand> commands = new ArrayList<>(rcpts.size() + 2);
    commands.add(mail);
    commands.addAll(rcpts);
    commands.add(new Data());
    return commands;
  }
}
