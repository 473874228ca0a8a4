package io.vireo.relay.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Remembers the answer given to each {@code Idempotency-Key} for a window (24 h by default), so a
 * client that retries after a timeout gets the first answer instead of a second message. Durable:
 * every answer is appended to {@code idempotency.jsonl} and fsynced (group commit) before the
 * client sees it; a restart reads back the entries still inside the window and compacts the file.
 *
 * <p>Memory is bounded: at most {@code maxEntries} keys (the oldest go first), each a key and a
 * short JSON answer. Keys are scoped by API key, so two applications cannot collide. Two requests
 * with one key at once: the second waits for the first's answer.
 */
final class IdempotencyStore implements AutoCloseable {
  private record Entry(Instant at, Answer answer) {}

  private final Clock clock;
  private final Duration window;
  private final int maxEntries;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Map<String, CompletableFuture<Answer>> inFlight = new ConcurrentHashMap<>();
  private final AppendLog log;

  IdempotencyStore(Path file, Duration window, int maxEntries, Clock clock) throws IOException {
    this.clock = clock;
    this.window = window;
    this.maxEntries = maxEntries;
    Instant oldest = clock.instant().minus(window);
    this.log =
        new AppendLog(
            file,
            line -> parse(line).map(e -> e.getValue().at().isAfter(oldest)).orElse(false),
            line -> parse(line).ifPresent(e -> remember(e.getKey(), e.getValue())));
  }

  /**
   * The answer for {@code key}: the remembered one, or {@code work}'s, remembered when final.
   */
  Answer once(String scope, String key, Supplier<Answer> work) {
    String id = scope + "\u0000" + key;
    CompletableFuture<Answer> mine = new CompletableFuture<>();
    CompletableFuture<Answer> running = inFlight.putIfAbsent(id, mine);
    if (running != null) {
      return running.join();
    }
    try {
      Answer answer = lookup(id);
      if (answer == null) {
        answer = work.get();
        if (answer.isFinal()) {
          Instant now = clock.instant();
          log.append(line(id, now, answer));
          remember(id, new Entry(now, answer));
        }
      }
      mine.complete(answer);
      return answer;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(id, mine);
    }
  }

  private synchronized Answer lookup(String id) {
    Entry entry = entries.get(id);
    if (entry == null || entry.at().isBefore(clock.instant().minus(window))) {
      return null;
    }
    return entry.answer();
  }

  private synchronized void remember(String id, Entry entry) {
    entries.put(id, entry);
    Instant oldest = clock.instant().minus(window);
    Iterator<Entry> eldest = entries.values().iterator();
    while (eldest.hasNext()) {
      Entry next = eldest.next();
      if (entries.size() > maxEntries || next.at().isBefore(oldest)) {
        eldest.remove();
      } else {
        break;
      }
    }
  }

  private static String line(String id, Instant at, Answer answer) {
    return new String(
        JsonText.object(
            json -> {
              json.writeStringField("key", id);
              json.writeNumberField("at", at.toEpochMilli());
              json.writeNumberField("status", answer.status());
              json.writeStringField("body", new String(answer.body(), StandardCharsets.UTF_8));
            }),
        StandardCharsets.UTF_8);
  }

  private static java.util.Optional<Map.Entry<String, Entry>> parse(String line) {
    try {
      if (JsonTree.parse(line.getBytes(StandardCharsets.UTF_8)) instanceof Map<?, ?> map
          && map.get("key") instanceof String key
          && map.get("at") instanceof Number at
          && map.get("status") instanceof Number status
          && map.get("body") instanceof String body) {
        return java.util.Optional.of(
            Map.entry(
                key,
                new Entry(
                    Instant.ofEpochMilli(at.longValue()),
                    new Answer(status.intValue(), body.getBytes(StandardCharsets.UTF_8)))));
      }
    } catch (ApiException e) {
      // A torn last line after a crash: that request was never answered, so nothing is lost.
    }
    return java.util.Optional.empty();
  }

  @Override
  public void close() {
    log.close();
  }
}
