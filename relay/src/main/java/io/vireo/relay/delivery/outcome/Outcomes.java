package io.vireo.relay.delivery.outcome;

import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageId;
import io.vireo.queue.Notify;
import io.vireo.queue.Recipient;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.Spool;
import io.vireo.queue.SpoolEvent;
import io.vireo.relay.delivery.outcome.dsn.Bounce;
import io.vireo.relay.delivery.outcome.dsn.DsnComposer;
import io.vireo.relay.delivery.outcome.dsn.NotifyPolicy;
import io.vireo.relay.delivery.outcome.dsn.RecipientReport;
import io.vireo.relay.protocol.SmtpReply;
import io.vireo.relay.events.EventSink;
import io.vireo.relay.events.EventType;
import io.vireo.relay.events.RecipientEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on the outcome of a delivery attempt, always in the same order: first the outcome goes to
 * the spool's events journal (durably), only then is it acted on: logged, rescheduled, bounced.
 * After a crash the journal therefore never claims less than what happened: a delivered recipient
 * is not sent again, while one whose outcome was not yet recorded is tried again (at least once,
 * never zero times).
 *
 * <ul>
 *   <li>Sent: recorded as delivered.
 *   <li>Try again: recorded as deferred with the next attempt from the {@link RetryPolicy}, and
 *       handed to the timer; once the message is older than {@code retry.max-age} it fails instead,
 *       with status 4.4.7.
 *   <li>Undeliverable: recorded as failed; then one report per message and attempt (RFC 3464) is
 *       composed, spooled and submitted for delivery like any message, and the recipients are
 *       recorded as bounced with its id (no id when none is owed: null sender, NOTIFY=NEVER). A
 *       crash between spooling the report and recording the bounce may send a second report.
 *   <li>Delay notices ({@code delivery.delay-warning}): at most one per recipient, remembered in
 *       memory only, so a restart may send another.
 * </ul>
 *
 * <p>Thread-safe; called by many workers at once.
 */
public final class Outcomes {
  private static final Logger log = LoggerFactory.getLogger(Outcomes.class);

  /** Where deferred recipients wait for their next attempt: the delivery timer. */
  @FunctionalInterface
  public interface Timer {
    /** Hands {@code recipients} of message {@code id} back to delivery at {@code at}. */
    void schedule(Instant at, MessageId id, List<String> recipients);
  }

  private final Spool spool;
  private final ReportIntake intake;
  private final Clock clock;
  // Replaced by a reload (reconfigure); each decision reads them as they are at that moment.
  private volatile RetryPolicy retry;
  private final DsnComposer composer;
  private volatile Duration delayWarning;
  private final OutcomeCounters counters;
  private final Timer timer;
  private final Consumer<Envelope> submit;
  private final EventSink events;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  public Outcomes(
      Spool spool,
      ReportIntake intake,
      Clock clock,
      RetryPolicy retry,
      DsnComposer composer,
      Duration delayWarning,
      OutcomeCounters counters,
      Timer timer,
      Consumer<Envelope> submit,
      EventSink events) {
    this.events = events;
    this.spool = spool;
    this.intake = intake;
    this.clock = clock;
    this.retry = retry;
    this.composer = composer;
    this.delayWarning = delayWarning;
    this.counters = counters;
    this.timer = timer;
    this.submit = submit;
  }

  /** A reloaded retry schedule and delay warning, for the outcomes recorded from now on. */
  public void reconfigure(RetryPolicy retry, Duration delayWarning) {
    this.retry = retry;
    this.delayWarning = delayWarning;
  }

  /** Records and acts on the outcomes of one attempt for recipients of one message. */
  public void record(Envelope envelope, List<RecipientOutcome> outcomes, ContentSource content) {
    MessageId id = envelope.id();
    Instant now = clock.instant();
    double jitter = retry.jitter();
    List<RecipientReport> failures = new ArrayList<>();
    List<RecipientOutcome.TryAgain> deferred = new ArrayList<>();
    List<RecipientReport> relayed = new ArrayList<>();
    Map<Instant, List<String>> retries = new TreeMap<>();
    for (RecipientOutcome outcome : outcomes) {
      String address = outcome.status().recipient().address();
      counters.attempts.increment();
      try {
        switch (outcome) {
          case RecipientOutcome.Sent sent -> {
            // Not waiting for the sync: losing this event in a crash only means the recipient is
            // sent again (at least once), and waiting would cost every delivery an fsync.
            spool.recordEventually(
                new SpoolEvent.Delivered(id, address, now, sent.relay(), sent.reply().text()));
            counters.delivered.increment();
            counters.acceptToDeliveredMillis.record(
                now.toEpochMilli() - envelope.arrival().toEpochMilli());
            warned.remove(key(id, address));
            log(envelope, outcome, now, DsnStatus.of(sent.reply()), "sent", sent.reply());
            emit(EventType.DELIVERED, envelope, outcome, now, DsnStatus.of(sent.reply()), null);
            if (!sent.nextHopReports()
                && outcome.status().recipient().notifications().contains(Notify.SUCCESS)) {
              relayed.add(
                  sent.finalDelivery()
                      ? RecipientReport.delivered(
                          outcome.status().recipient(),
                          DsnStatus.of(sent.reply()),
                          sent.reply().text(),
                          now)
                      : RecipientReport.relayed(
                          outcome.status().recipient(),
                          DsnStatus.of(sent.reply()),
                          remoteMta(sent.relay()),
                          sent.reply().text(),
                          now));
            }
          }
          case RecipientOutcome.TryAgain again when retry.expired(envelope.arrival(), now) -> {
            SmtpReply expired = LocalReplies.expired(retry.maxAge(), again.reply());
            failures.add(fail(envelope, outcome, now, expired, again.reply(), EventType.EXPIRED));
            counters.expired.increment();
          }
          case RecipientOutcome.TryAgain again -> {
            Instant next = nextAttempt(envelope, again, now, jitter);
            defer(envelope, again, now, next, EventType.DEFERRED);
            retries.computeIfAbsent(next, at -> new ArrayList<>()).add(address);
            deferred.add(again);
          }
          case RecipientOutcome.Held held when retry.expired(envelope.arrival(), now) -> {
            SmtpReply expired = LocalReplies.expired(retry.maxAge(), held.reply());
            failures.add(fail(envelope, outcome, now, expired, held.reply(), EventType.EXPIRED));
            counters.expired.increment();
          }
          case RecipientOutcome.Held held -> {
            Instant next =
                retry.nextAttempt(now, held.status().attempts(), envelope.arrival(), jitter);
            defer(envelope, held, now, next, EventType.SUPPRESSED);
            retries.computeIfAbsent(next, at -> new ArrayList<>()).add(address);
          }
          case RecipientOutcome.Undeliverable undeliverable ->
              failures.add(
                  fail(
                      envelope,
                      outcome,
                      now,
                      undeliverable.reply(),
                      undeliverable.reply(),
                      EventType.BOUNCED));
        }
      } catch (RuntimeException e) {
        // The journal refused the event (spool closing or failing): the recipient keeps its last
        // recorded state, so it is tried again soon, or after a restart.
        log.warn("{}: cannot record the outcome for <{}>: {}", id, address, e.toString());
        retries.computeIfAbsent(now.plus(retry.firstDelay()), at -> new ArrayList<>()).add(address);
      }
    }
    if (!failures.isEmpty()) {
      bounce(envelope, failures, content, now);
    }
    retries.forEach((at, addresses) -> timer.schedule(at, id, addresses));
    if (!deferred.isEmpty()) {
      delayNotice(envelope, deferred, content, now);
    }
    if (!relayed.isEmpty()) {
      successNotice(envelope, relayed, content);
    }
  }

  /**
   * The "relayed" report for recipients with NOTIFY=SUCCESS handed to a next hop without DSN: no
   * one further down will report, so this relay does. Best effort, like a delay notice: the
   * delivery itself is already recorded.
   */
  private void successNotice(
      Envelope envelope, List<RecipientReport> reports, ContentSource content) {
    if (envelope.hasNullSender()) {
      return;
    }
    queueNotice(envelope, reports, content, "relayed notice")
        .ifPresent(notice -> DeliveryLog.successNotice(envelope.id(), notice));
  }

  /**
   * Reports recipients that failed before a restart but whose bounce was not recorded: their last
   * reply, as recorded, gives the status and diagnostic.
   */
  public void bounceOwed(Envelope envelope, List<RecipientStatus> failed) {
    List<RecipientReport> reports = new ArrayList<>(failed.size());
    for (RecipientStatus status : failed) {
      reports.add(
          RecipientReport.failed(
              status.recipient(),
              DsnStatus.ofRecordedFailure(status.lastReply()),
              null,
              status.lastReply(),
              null));
    }
    bounce(envelope, reports, ContentSource.fromSpool(spool, envelope.id()), clock.instant());
  }

  /** Records a deferral (a retry at {@code next}), logs it and reports it as {@code type}. */
  private void defer(
      Envelope envelope, RecipientOutcome outcome, Instant now, Instant next, EventType type) {
    String address = outcome.status().recipient().address();
    spool.record(new SpoolEvent.Deferred(envelope.id(), address, now, next, outcome.reply().text()));
    counters.deferred.increment();
    String dsn = DsnStatus.ofClass('4', outcome.reply());
    // Deferred without an attempt by a suspended destination: its worker logs one summary line
    // for the pass (DeliveryLog.deferredWhileSuspended) instead of one per recipient.
    boolean attempted =
        !(outcome instanceof RecipientOutcome.TryAgain again && again.notBefore() != null);
    if (attempted) {
      log(envelope, outcome, now, dsn, "deferred", outcome.reply());
    }
    emit(type, envelope, outcome, now, dsn, next);
  }

  private void emit(
      EventType type,
      Envelope envelope,
      RecipientOutcome outcome,
      Instant now,
      String dsn,
      Instant next) {
    emit(type, envelope, outcome, outcome.reply(), now, dsn, next);
  }

  private void emit(
      EventType type,
      Envelope envelope,
      RecipientOutcome outcome,
      SmtpReply reply,
      Instant now,
      String dsn,
      Instant next) {
    events.publish(
        new RecipientEvent(
            type,
            envelope.id(),
            outcome.status().recipient().address(),
            envelope.sender(),
            now,
            outcome.relay(),
            reply.text(),
            dsn,
            next));
  }

  private RecipientReport fail(
      Envelope envelope,
      RecipientOutcome outcome,
      Instant now,
      SmtpReply recorded,
      SmtpReply diagnostic,
      EventType type) {
    String address = outcome.status().recipient().address();
    spool.record(new SpoolEvent.Failed(envelope.id(), address, now, recorded.text()));
    String status = DsnStatus.of(recorded);
    log(envelope, outcome, now, status, "bounced", recorded);
    emit(type, envelope, outcome, recorded, now, status, null);
    return RecipientReport.failed(
        outcome.status().recipient(), status, remoteMta(outcome.relay()), diagnostic.text(), now);
  }

  private Instant nextAttempt(
      Envelope envelope, RecipientOutcome.TryAgain again, Instant now, double jitter) {
    Instant ownSchedule =
        retry.nextAttempt(now, again.status().attempts(), envelope.arrival(), jitter);
    if (again.notBefore() == null) {
      return ownSchedule;
    }
    // Spread the recipients of a suspended destination over a tenth of the pause, so they do
    // not all come back in the same instant; and never sooner than their own retry schedule, or
    // a long-dead destination would have its whole backlog deferred (and logged) again after
    // every pause, as Postfix's per-message backoff avoids too.
    Duration pause = Duration.between(now, again.notBefore());
    Duration spread =
        RetryPolicy.scale(pause.isNegative() ? Duration.ZERO : pause, Math.abs(jitter - 1));
    Instant afterPause = retry.notAfterExpiry(again.notBefore().plus(spread), envelope.arrival());
    return ownSchedule.isAfter(afterPause) ? ownSchedule : afterPause;
  }

  private void bounce(
      Envelope envelope, List<RecipientReport> reports, ContentSource content, Instant now) {
    MessageId id = envelope.id();
    Optional<Bounce> bounce = Optional.empty();
    if (!envelope.hasNullSender()) {
      Optional<MessageContent> original = content.get();
      if (original.isEmpty()) {
        // Without the original there is nothing to report on; the failure stays in the log.
        log.error("{}: the message content is unreadable; no non-delivery report is sent", id);
      } else {
        bounce = composer.compose(envelope, original.get(), reports);
      }
    }
    if (bounce.isPresent()) {
      try {
        intake.store(bounce.get().envelope(), bounce.get().content());
      } catch (RuntimeException e) {
        // The recipients stay failed (bounce owed); the timer brings them back to try again.
        log.error("{}: cannot spool the non-delivery report: {}", id, e.toString());
        timer.schedule(now.plus(retry.firstDelay()), id, addresses(reports));
        return;
      }
    }
    MessageId bounceId = bounce.map(b -> b.envelope().id()).orElse(null);
    for (RecipientReport report : reports) {
      String address = report.recipient().address();
      MessageId reportedIn = NotifyPolicy.isOwed(envelope, report) ? bounceId : null;
      try {
        spool.record(new SpoolEvent.Bounced(id, address, now, reportedIn));
        counters.bounced.increment();
        warned.remove(key(id, address));
      } catch (RuntimeException e) {
        log.warn("{}: cannot record the bounce of <{}>: {}", id, address, e.toString());
      }
    }
    if (bounce.isPresent()) {
      counters.bouncesQueued.increment();
      DeliveryLog.nonDeliveryNotice(id, bounceId);
      submit.accept(bounce.get().envelope());
    }
  }

  private void delayNotice(
      Envelope envelope,
      List<RecipientOutcome.TryAgain> deferred,
      ContentSource content,
      Instant now) {
    if (delayWarning.isZero()
        || envelope.hasNullSender()
        || now.isBefore(envelope.arrival().plus(delayWarning))) {
      return;
    }
    List<RecipientReport> reports = new ArrayList<>();
    for (RecipientOutcome.TryAgain again : deferred) {
      Recipient recipient = again.status().recipient();
      if (warned.add(key(envelope.id(), recipient.address()))) {
        reports.add(
            RecipientReport.delayed(
                recipient,
                DsnStatus.ofClass('4', again.reply()),
                remoteMta(again.relay()),
                again.reply().text(),
                now,
                retry.expiry(envelope.arrival())));
      }
    }
    if (reports.isEmpty()) {
      return;
    }
    Optional<MessageId> notice = queueNotice(envelope, reports, content, "delay notice");
    if (notice.isPresent()) {
      counters.delayNotices.increment();
      DeliveryLog.delayNotice(envelope.id(), notice.get());
    }
  }

  /**
   * Composes, spools and schedules a best-effort report to the sender (a delay or success
   * notice): the deliveries it reports on are recorded already, so a failure here is only logged.
   */
  private Optional<MessageId> queueNotice(
      Envelope envelope, List<RecipientReport> reports, ContentSource content, String what) {
    Optional<MessageContent> original = content.get();
    if (original.isEmpty()) {
      return Optional.empty();
    }
    Optional<Bounce> notice = composer.compose(envelope, original.get(), reports);
    if (notice.isEmpty()) {
      return Optional.empty();
    }
    try {
      intake.store(notice.get().envelope(), notice.get().content());
    } catch (RuntimeException e) {
      log.warn("{}: cannot spool the {}: {}", envelope.id(), what, e.toString());
      return Optional.empty();
    }
    submit.accept(notice.get().envelope());
    return Optional.of(notice.get().envelope().id());
  }

  private static void log(
      Envelope envelope,
      RecipientOutcome outcome,
      Instant now,
      String dsn,
      String status,
      SmtpReply reply) {
    DeliveryLog.attempt(
        envelope.id(),
        outcome.status().recipient().address(),
        outcome.relay(),
        envelope.arrival(),
        now,
        dsn,
        status,
        reply);
  }

  /** {@code mx1.example.com[192.0.2.1]:25} gives {@code mx1.example.com}: the Remote-MTA name. */
  static String remoteMta(String relay) {
    if (relay == null) {
      return null;
    }
    int bracket = relay.indexOf('[');
    return bracket > 0 ? relay.substring(0, bracket) : relay;
  }

  private static List<String> addresses(List<RecipientReport> reports) {
    return reports.stream().map(r -> r.recipient().address()).toList();
  }

  private static String key(MessageId id, String address) {
    return id.value() + '\n' + address;
  }
}
