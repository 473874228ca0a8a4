package io.vireo.relay.webhooks;

import io.vireo.config.WebhookConfig;
import io.vireo.relay.events.EventLog;
import io.vireo.relay.events.EventType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one webhook's events: a loop on its own thread that reads the event log from the cursor,
 * POSTs the wanted events (one JSON object, or an array of up to {@code batch}) and, on a 2xx,
 * saves the cursor past them. One POST at a time, so the receiver sees the log's order; a failure
 * (another status, a timeout, a refused connection) is retried with the same events after a pause
 * that doubles from {@link #FIRST_PAUSE} to {@link #MAX_PAUSE}.
 */
final class WebhookDispatcher implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
  static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
  static final Duration MAX_PAUSE = Duration.ofMinutes(5);
  private static final Duration IDLE_WAIT = Duration.ofSeconds(1);
  private static final Duration IDLE_SAVE = Duration.ofSeconds(1);

  private final URI url;
  private final String name;
  private final WebhookSignature signature;
  private final EventLog eventLog;
  private final WebhookCursor cursor;
  private final Set<EventType> wanted;
  private final int batch;
  private final Duration timeout;
  private final HttpClient http;
  private final Clock clock;
  private final LongAdder sent = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder skippedSegments = new LongAdder();
  private final AtomicLong passedSequence = new AtomicLong();
  private volatile boolean stopping;

  WebhookDispatcher(
      WebhookConfig config, byte[] secret, EventLog eventLog, HttpClient http, Clock clock) {
    this.url = config.url();
    this.name = name(config.url());
    this.signature = new WebhookSignature(secret);
    this.eventLog = eventLog;
    this.cursor = new WebhookCursor(eventLog.directory(), key(config.url()));
    EnumSet<EventType> types = EnumSet.noneOf(EventType.class);
    config.events().forEach(type -> types.add(EventType.fromWire(type)));
    this.wanted = types;
    this.batch = config.batch();
    this.timeout = config.timeout();
    this.http = http;
    this.clock = clock;
  }

  /** The URL without user info or query: safe as a label and in the log. */
  static String name(URI url) {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }

  /** The cursor file's key: a webhook is its URL, so reordering the list keeps every cursor. */
  static String key(URI url) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(url.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  WebhookStats stats() {
    long pending = Math.max(0, eventLog.lastSequence() - passedSequence.get());
    return new WebhookStats(name, pending, sent.sum(), failures.sum(), skippedSegments.sum());
  }

  void stop() {
    stopping = true;
  }

  @Override
  public void run() {
    try {
      EventLog.Position position = start();
      EventLog.Position saved = position;
      long lastSave = System.nanoTime();
      while (!stopping) {
        EventLog.Batch found = eventLog.read(position, batch, wanted::contains);
        if (found.skippedSegments() > 0) {
          skippedSegments.add(found.skippedSegments());
          log.warn(
              "webhook {}: {} event log segments were deleted (events.max-size) before they were sent",
              name,
              found.skippedSegments());
        }
        if (found.lines().isEmpty()) {
          position = found.next();
          passedSequence.set(position.sequence());
          if (!position.equals(saved) && System.nanoTime() - lastSave > IDLE_SAVE.toNanos()) {
            cursor.save(position);
            saved = position;
            lastSave = System.nanoTime();
          }
          eventLog.awaitAfter(position, IDLE_WAIT);
          continue;
        }
        if (!deliver(found.lines())) {
          return; // stopping
        }
        position = found.next();
        cursor.save(position);
        saved = position;
        lastSave = System.nanoTime();
        passedSequence.set(position.sequence());
        sent.add(found.lines().size());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.nio.channels.ClosedByInterruptException e) {
      // Stopped (reload or shutdown) while reading the log or saving the cursor: the cursor file is
      // replaced atomically, so the last one saved stands.
      if (!stopping) {
        log.error("webhook {} stopped: {}", name, e.toString(), e);
      }
    } catch (IOException | RuntimeException e) {
      log.error("webhook {} stopped: {}", name, e.toString(), e);
    }
  }

  /** The saved cursor, or the end of the log for a new webhook (it gets what happens from now). */
  private EventLog.Position start() throws IOException {
    EventLog.Position position = cursor.load().orElse(null);
    if (position == null) {
      position = eventLog.end();
      cursor.save(position);
      log.info("webhook {}: new, sending events from sequence {} on", name, position.sequence() + 1);
    }
    passedSequence.set(position.sequence());
    return position;
  }

  /** POSTs until a 2xx; false when stopped first. */
  private boolean deliver(List<byte[]> lines) throws InterruptedException {
    byte[] body = body(lines);
    Duration pause = FIRST_PAUSE;
    while (!stopping) {
      String failure;
      try {
        long t = clock.instant().getEpochSecond();
        HttpRequest request =
            HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Vireo-Webhook")
                .header(WebhookSignature.HEADER, signature.sign(t, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 == 2) {
          return true;
        }
        failure = "answered " + response.statusCode();
      } catch (IOException e) {
        failure = e.toString();
      }
      failures.increment();
      log.warn("webhook {}: {} events not taken ({}); again in {}", name, lines.size(), failure, pause);
      Thread.sleep(pause);
      pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
    }
    return false;
  }

  /** One event as its object; several as an array, each line as written. */
  static byte[] body(List<byte[]> lines) {
    if (lines.size() == 1) {
      return lines.getFirst();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(lines.size() * 400);
    out.write('[');
    for (int i = 0; i < lines.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.writeBytes(lines.get(i));
    }
    out.write(']');
    return out.toByteArray();
  }
}
