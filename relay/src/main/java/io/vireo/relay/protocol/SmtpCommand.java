package io.vireo.relay.protocol;

import io.vireo.queue.Notify;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One parsed SMTP command line. Each verb is its own record, so handlers switch over a closed set
 * and never look at raw text; {@link SmtpCommandParser} is the only producer.
 */
public sealed interface SmtpCommand {

  /** EHLO (RFC 5321 section 4.1.1.1): the client's domain or address literal, as given. */
  record Ehlo(String clientName) implements SmtpCommand {
    public Ehlo {
      Objects.requireNonNull(clientName, "clientName");
    }
  }

  /** HELO: like EHLO but asks for plain SMTP without extensions. */
  record Helo(String clientName) implements SmtpCommand {
    public Helo {
      Objects.requireNonNull(clientName, "clientName");
    }
  }

  /**
   * MAIL FROM (RFC 5321 section 4.1.1.2).
   *
   * @param reversePath the sender, or empty for the null reverse-path {@code <>} (bounces)
   */
  record MailFrom(Optional<Mailbox> reversePath, MailParameters parameters) implements SmtpCommand {
    public MailFrom {
      Objects.requireNonNull(reversePath, "reversePath");
      Objects.requireNonNull(parameters, "parameters");
    }

    /** The reverse-path without angle brackets; empty for the null sender. */
    public String sender() {
      return reversePath.map(Mailbox::address).orElse("");
    }
  }

  /**
   * RCPT TO (RFC 5321 section 4.1.1.3) with its DSN parameters (RFC 3461 section 4).
   *
   * @param notifications NOTIFY= values; empty when not given
   * @param originalRecipient ORCPT= as given ({@code addr-type;xtext}), if given
   */
  record RcptTo(Mailbox forwardPath, Set<Notify> notifications, Optional<String> originalRecipient)
      implements SmtpCommand {
    public RcptTo {
      Objects.requireNonNull(forwardPath, "forwardPath");
      notifications = Set.copyOf(notifications);
      Objects.requireNonNull(originalRecipient, "originalRecipient");
    }
  }

  /** DATA (RFC 5321 section 4.1.1.4). */
  record Data() implements SmtpCommand {}

  /**
   * BDAT (RFC 3030 section 2): exactly {@code chunkSize} octets of content follow the command line.
   */
  record Bdat(long chunkSize, boolean last) implements SmtpCommand {
    public Bdat {
      if (chunkSize < 0) {
        throw new IllegalArgumentException("chunk size must not be negative: " + chunkSize);
      }
    }
  }

  record Rset() implements SmtpCommand {}

  record Noop() implements SmtpCommand {}

  record Quit() implements SmtpCommand {}

  /** HELP with an optional topic. */
  record Help(Optional<String> topic) implements SmtpCommand {
    public Help {
      Objects.requireNonNull(topic, "topic");
    }
  }

  record Vrfy(String argument) implements SmtpCommand {
    public Vrfy {
      Objects.requireNonNull(argument, "argument");
    }
  }

  record Expn(String argument) implements SmtpCommand {
    public Expn {
      Objects.requireNonNull(argument, "argument");
    }
  }

  /** STARTTLS (RFC 3207). */
  record StartTls() implements SmtpCommand {}

  /**
   * AUTH (RFC 4954 section 4).
   *
   * @param mechanism the SASL mechanism name, upper case
   * @param initialResponse the base64 initial response, or {@code =} for an empty one, if given
   */
  record Auth(String mechanism, Optional<String> initialResponse) implements SmtpCommand {
    public Auth {
      Objects.requireNonNull(mechanism, "mechanism");
      Objects.requireNonNull(initialResponse, "initialResponse");
    }
  }

  /** A verb this server does not know, upper case and truncated for logging. */
  record Unknown(String verb) implements SmtpCommand {
    public Unknown {
      Objects.requireNonNull(verb, "verb");
    }
  }
}
