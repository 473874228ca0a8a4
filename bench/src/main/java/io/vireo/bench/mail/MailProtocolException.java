package io.vireo.bench.mail;

import java.io.IOException;

/** A server answered something other than what the workload needs (a NO, a BAD, a -ERR). */
final class MailProtocolException extends IOException {
  MailProtocolException(String message) {
    super(message);
  }
}
