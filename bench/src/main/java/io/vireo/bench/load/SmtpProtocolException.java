package io.vireo.bench.load;

import java.io.IOException;

/** The server sent something that is not an SMTP reply (RFC 5321 section 4.2). */
final class SmtpProtocolException extends IOException {
  SmtpProtocolException(String message) {
    super(message);
  }
}
