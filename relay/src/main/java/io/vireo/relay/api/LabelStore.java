package io.vireo.relay.api;

import io.vireo.config.ApiConfig;
import io.vireo.queue.MessageId;
import io.vireo.relay.events.EventJson;
import io.vireo.relay.events.Labels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tags and metadata of each labelled API message, kept for as long as a message can still
 * produce events (the retry window plus a day), in {@code labels.jsonl} (appended and fsynced
 * before the 202) and in memory. Unlabelled messages cost nothing here.
 */
public final class LabelStore implements SubmissionLabels, AutoCloseable {
  private record Entry(Instant at, Labels labels) {}

  private static final int PURGE_EVERY = 4096;

  private final java.util.concurrent.atomic.AtomicLong puts = new java.util.concurrent.atomic.AtomicLong();
  private final Map<MessageId, Entry> entries = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration retention;
  private final AppendLog log;

  /**
   * Opens the store in {@code config.dir()}, before delivery starts, so events about messages
   * submitted before a restart still carry their labels.
   *
   * @param retention how long a message's labels are kept (its retry window and a day)
   */
  public static LabelStore open(ApiConfig config, Duration retention, Clock clock)
      throws IOException {
    return new LabelStore(config.dir().resolve("labels.jsonl"), retention, clock);
  }

  LabelStore(Path file, Duration retention, Clock clock) throws IOException {
    this.clock = clock;
    this.retention = retention;
    Instant oldest = clock.instant().minus(retention);
    this.log =
        new AppendLog(
            file,
            line -> parse(line).map(e -> e.getValue().at().isAfter(oldest)).orElse(false),
            line -> parse(line).ifPresent(e -> entries.put(e.getKey(), e.getValue())));
  }

  /** Stores {@code labels} for {@code id} durably; nothing for empty labels. */
  void put(MessageId id, Labels labels) {
    if (labels.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    log.append(line(id, now, labels));
    entries.put(id, new Entry(now, labels));
    if (puts.incrementAndGet() % PURGE_EVERY == 0) {
      Instant oldest = now.minus(retention);
      entries.values().removeIf(entry -> entry.at().isBefore(oldest));
    }
  }

  @Override
  public Optional<Labels> labels(MessageId id) {
    Entry entry = entries.get(id);
    if (entry == null || entry.at().isBefore(clock.instant().minus(retention))) {
      return Optional.empty();
    }
    return Optional.of(entry.labels());
  }

  private static String line(MessageId id, Instant at, Labels labels) {
    return new String(
        JsonText.object(
            json -> {
              json.writeStringField("id", id.value());
              json.writeNumberField("at", at.toEpochMilli());
              EventJson.writeLabels(json, labels);
            }),
        StandardCharsets.UTF_8);
  }

  private static Optional<Map.Entry<MessageId, Entry>> parse(String line) {
    try {
      if (JsonTree.parse(line.getBytes(StandardCharsets.UTF_8)) instanceof Map<?, ?> map
          && map.get("id") instanceof String id
          && map.get("at") instanceof Number at
          && map.get("tags") instanceof List<?> tags
          && map.get("metadata") instanceof Map<?, ?> metadata) {
        List<String> tagList = new ArrayList<>();
        tags.forEach(tag -> tagList.add(String.valueOf(tag)));
        Map<String, String> meta = new LinkedHashMap<>();
        metadata.forEach((k, v) -> meta.put(String.valueOf(k), String.valueOf(v)));
        return Optional.of(
            Map.entry(
                new MessageId(id),
                new Entry(Instant.ofEpochMilli(at.longValue()), new Labels(tagList, meta))));
      }
    } catch (ApiException | IllegalArgumentException e) {
      // A torn last line: that request was never answered.
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    log.close();
  }
}
