package io.vireo.relay.intake;

import io.vireo.queue.BodyType;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageId;
import io.vireo.queue.MessageIdGenerator;
import io.vireo.queue.Ret;
import io.vireo.queue.Spool;
import io.vireo.queue.SpoolException;
import io.vireo.queue.SpoolFullException;
import io.vireo.relay.protocol.NulOctets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one step between every submitter and the spool, as Postfix's cleanup sits between smtpd and
 * pickup: applies the content policy, signs (the {@code beforeStore} hook), stores durably, then,
 * once the submitter has acknowledged, logs the message, counts it and hands it to delivery.
 *
 * <p>Two ways in: the SMTP session streams content and fixes id, arrival time and its own trace
 * header as it reads, then calls {@link #store} and {@link #accepted}; a submitter holding a whole
 * message (the HTTP API) calls {@link #submit}, which does all of it. Thread-safe; one per relay.
 */
public final class MessageIntake {
  private static final Logger log = LoggerFactory.getLogger(MessageIntake.class);

  private final Spool spool;
  private final MessageIdGenerator ids;
  private final Clock clock;
  private final String hostname;
  private final UnaryOperator<MessageContent> beforeStore;
  private final Consumer<Envelope> onAccepted;
  private final LongAdder messages = new LongAdder();
  private final LongAdder recipients = new LongAdder();
  private volatile ContentPolicy policy;

  /**
   * @param hostname this relay's name, for the trace header of whole submissions
   * @param policy the size and NUL limits for whole submissions
   * @param beforeStore applied once to every message before it is stored (DKIM signing); its
   *     result is what is stored and delivered
   * @param onAccepted called after a message is stored and acknowledged, e.g. to wake delivery;
   *     must not block for long
   */
  public MessageIntake(
      Spool spool,
      MessageIdGenerator ids,
      Clock clock,
      String hostname,
      ContentPolicy policy,
      UnaryOperator<MessageContent> beforeStore,
      Consumer<Envelope> onAccepted) {
    this.spool = Objects.requireNonNull(spool, "spool");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.hostname = Objects.requireNonNull(hostname, "hostname");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.beforeStore = Objects.requireNonNull(beforeStore, "beforeStore");
    this.onAccepted = Objects.requireNonNull(onAccepted, "onAccepted");
  }

  /** Applies reloaded limits to submissions from now on. */
  public void reconfigure(ContentPolicy next) {
    policy = Objects.requireNonNull(next, "next");
  }

  /**
   * A whole message: gives it an id and arrival time, prepends the trace header, checks size and
   * NUL octets, stores it and, once durable, counts it and hands it to delivery. Returns only once
   * the message is durable, or refused. Blocks; meant for virtual threads.
   *
   * @param onDurable told of the stored envelope before delivery hears of it, so what the submitter
   *     keeps about the message (its labels) is there before any delivery outcome
   */
  public Stored submit(Submission submission, Consumer<Envelope> onDurable) {
    ContentPolicy limits = policy;
    byte[] body = submission.content();
    if (indexOfNul(body) >= 0) {
      if (limits.nul() == NulOctets.REJECT) {
        return new Stored.Refused(Stored.Refusal.NUL_OCTET, "the message contains a NUL octet");
      }
      body = withoutNul(body);
    }
    MessageId id = ids.next();
    Instant arrival = clock.instant();
    byte[] trace =
        TraceHeader.render(submission, hostname, id, ZonedDateTime.ofInstant(arrival, clock.getZone()));
    if ((long) trace.length + body.length > limits.maxMessageSize()) {
      return new Stored.Refused(
          Stored.Refusal.TOO_LARGE,
          "the message is larger than the limit of " + limits.maxMessageSize() + " bytes");
    }
    MessageContent.Builder content = new MessageContent.Builder();
    content.write(trace);
    content.write(body);
    Envelope envelope =
        new Envelope(
            id,
            submission.sender(),
            submission.recipients(),
            eightBit(body) ? BodyType.EIGHT_BIT_MIME : BodyType.SEVEN_BIT,
            false,
            Ret.UNSPECIFIED,
            null,
            arrival,
            submission.clientAddress(),
            submission.clientName());
    Stored stored = store(envelope, content.build());
    if (stored instanceof Stored.Durable durable) {
      onDurable.accept(durable.envelope());
      accepted(durable);
    }
    return stored;
  }

  /**
   * A report the relay composed itself (a bounce, a delay or success notice), stored the way every
   * message is (signing included), durable when this returns. Not counted as an accepted message
   * and not handed to delivery here: the delivery step that composed it does both.
   *
   * @throws SpoolException if the spool refused it; the caller tries again later
   */
  public void report(Envelope envelope, MessageContent content) {
    if (store(envelope, content) instanceof Stored.Refused refused) {
      throw refused.reason() == Stored.Refusal.STORAGE_FULL
          ? new SpoolFullException(refused.detail())
          : new SpoolException(refused.detail());
    }
  }

  /** Stores a message whose id, arrival and trace header the submitter fixed; returns once durable. */
  public Stored store(Envelope envelope, MessageContent received) {
    MessageContent content = received;
    try {
      content = beforeStore.apply(received);
    } catch (RuntimeException e) {
      // Losing the message would be worse than sending it unsigned: store it as received.
      log.error("id={} could not be signed, storing it unsigned", envelope.id(), e);
    }
    try {
      spool.store(envelope, content);
    } catch (SpoolException e) {
      log.error(
          "spool store failed id={} client=[{}]: {}",
          envelope.id(),
          envelope.clientAddress(),
          e.toString());
      return new Stored.Refused(
          e instanceof SpoolFullException
              ? Stored.Refusal.STORAGE_FULL
              : Stored.Refusal.STORAGE_FAILED,
          "the spool cannot take messages now");
    }
    return new Stored.Durable(envelope, content.size(), HeaderMessageId.of(content));
  }

  /**
   * After the acknowledgement: the accept line, the counters and the hand-off to delivery. The line
   * is keyed by the queue id like every later line of the message (the delivery attempts, {@code
   * removed}), as Postfix's are: {@code ID: client=[ip], message-id=<...>, from=<...>, size=N,
   * nrcpt=N}.
   */
  public void accepted(Stored.Durable stored) {
    Envelope envelope = stored.envelope();
    log.info(
        "{}: client=[{}], message-id={}, from=<{}>, size={}, nrcpt={}",
        envelope.id(),
        envelope.clientAddress(),
        stored.messageIdHeader() == null ? "none" : stored.messageIdHeader(),
        envelope.sender(),
        stored.size(),
        envelope.recipients().size());
    messages.increment();
    recipients.add(envelope.recipients().size());
    try {
      onAccepted.accept(envelope);
    } catch (RuntimeException e) {
      // The message is stored and acknowledged; the spool still holds it for delivery.
      log.error("accepted-message callback failed id={}", envelope.id(), e);
    }
  }

  public IntakeStats stats() {
    return new IntakeStats(messages.sum(), recipients.sum());
  }

  private static int indexOfNul(byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] withoutNul(byte[] bytes) {
    byte[] out = new byte[bytes.length];
    int n = 0;
    for (byte b : bytes) {
      if (b != 0) {
        out[n++] = b;
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  private static boolean eightBit(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return true;
      }
    }
    return false;
  }
}
