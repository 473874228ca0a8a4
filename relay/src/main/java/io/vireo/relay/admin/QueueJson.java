package io.vireo.relay.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vireo.queue.Envelope;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.relay.delivery.DestinationStats;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The queue in JSON, snake_case, one object per message and per line as Postfix's {@code postqueue
 * -j} writes it, so {@code jq} pipelines work: the admin API streams it and {@code vireo queue list
 * --json} prints it, from the relay or from a stopped spool alike.
 */
public final class QueueJson {
  private static final JsonFactory JSON = new JsonFactory();

  /** The age buckets of {@code queue summary}, in minutes, as qshape prints them. */
  public static final List<Integer> BUCKET_MINUTES =
      List.of(5, 10, 20, 40, 80, 160, 320, 640, 1280);

  private QueueJson() {}

  /**
   * Writes the messages {@code filter} selects, one line each, in id order, walking the queue a
   * page at a time from the filter's cursor: memory holds one page, however long the queue.
   *
   * @return how many were written
   */
  public static long writeMessages(
      QueuePages pages, QueueFilter filter, Instant now, OutputStream out) throws IOException {
    long written = 0;
    for (QueuedMessage message : QueuePages.walk(pages, filter.after())) {
      if (filter.limit() > 0 && written >= filter.limit()) {
        break;
      }
      if (!filter.matches(message, now)) {
        continue;
      }
      writeMessage(message, out);
      written++;
    }
    out.flush();
    return written;
  }

  /** One message's object on one line. */
  public static void writeMessage(QueuedMessage message, OutputStream out) throws IOException {
    Envelope envelope = message.envelope();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
      json.writeStartObject();
      json.writeStringField("queue_id", message.id().value());
      json.writeStringField("queue_name", queueName(message));
      json.writeNumberField("arrival_time", envelope.arrival().getEpochSecond());
      json.writeStringField("arrival", envelope.arrival().toString());
      json.writeNumberField("message_size", message.size());
      json.writeStringField("sender", envelope.sender());
      json.writeStringField("client_address", envelope.clientAddress());
      json.writeStringField("helo_name", envelope.heloName());
      json.writeArrayFieldStart("recipients");
      for (RecipientStatus recipient : message.recipients()) {
        json.writeStartObject();
        json.writeStringField("address", recipient.recipient().address());
        json.writeStringField("state", recipient.state().name().toLowerCase(Locale.ROOT));
        json.writeNumberField("attempts", recipient.attempts());
        if (recipient.nextAttempt() != null) {
          json.writeStringField("next_attempt", recipient.nextAttempt().toString());
        }
        if (recipient.lastReply() != null) {
          json.writeStringField("delay_reason", recipient.lastReply());
        }
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    out.write('\n');
  }

  /**
   * {@code active} while a recipient was never tried (or owes its bounce), {@code hold} when every
   * recipient not final is held, else {@code deferred} (Postfix's names).
   */
  private static String queueName(QueuedMessage message) {
    boolean held = false;
    boolean other = false;
    for (RecipientStatus status : message.recipients()) {
      if (status.state() == RecipientState.PENDING || status.state() == RecipientState.FAILED) {
        return "active";
      }
      if (status.state() == RecipientState.HELD) {
        held = true;
      } else if (!status.state().isFinal()) {
        other = true;
      }
    }
    return held && !other ? "hold" : "deferred";
  }

  /**
   * {@code {"bucket_minutes":[5,...],"total":{...},"destinations":[{"domain":...,"total":N,
   * "counts":[...]}]}}: recipients not yet final per recipient domain, by the age of their message,
   * the last count being older than the last bucket; the busiest domains first.
   */
  public static byte[] summary(QueuePages pages, Instant now) {
    Map<String, long[]> byDomain = new TreeMap<>();
    long[] total = new long[BUCKET_MINUTES.size() + 1];
    for (QueuedMessage message : QueuePages.walk(pages, null)) {
      long minutes = Duration.between(message.envelope().arrival(), now).toMinutes();
      int bucket = 0;
      while (bucket < BUCKET_MINUTES.size() && minutes >= BUCKET_MINUTES.get(bucket)) {
        bucket++;
      }
      for (RecipientStatus status : message.recipients()) {
        if (!status.state().isFinal()) {
          byDomain.computeIfAbsent(status.recipient().domain(), d -> new long[total.length])[bucket]++;
          total[bucket]++;
        }
      }
    }
    List<Map.Entry<String, long[]>> rows = new ArrayList<>(byDomain.entrySet());
    rows.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -sum(e.getValue())));
    return JsonBodies.write(
        json -> {
          json.writeArrayFieldStart("bucket_minutes");
          for (int minutes : BUCKET_MINUTES) {
            json.writeNumber(minutes);
          }
          json.writeEndArray();
          json.writeObjectFieldStart("total");
          counts(json, total);
          json.writeEndObject();
          json.writeArrayFieldStart("destinations");
          for (Map.Entry<String, long[]> row : rows) {
            json.writeStartObject();
            json.writeStringField("domain", row.getKey());
            counts(json, row.getValue());
            json.writeEndObject();
          }
          json.writeEndArray();
        });
  }

  private static void counts(JsonGenerator json, long[] counts) throws IOException {
    json.writeNumberField("total", sum(counts));
    json.writeArrayFieldStart("counts");
    for (long count : counts) {
      json.writeNumber(count);
    }
    json.writeEndArray();
  }

  private static long sum(long[] counts) {
    long sum = 0;
    for (long count : counts) {
      sum += count;
    }
    return sum;
  }

  /**
   * {@code {"destinations":[{"destination":...,"queued":N,"workers":N,"suspended":B,
   * "operator_suspended":B,...}]}}.
   */
  static byte[] destinations(List<DestinationStats> destinations) {
    return JsonBodies.write(
        json -> {
          json.writeArrayFieldStart("destinations");
          for (DestinationStats d : destinations) {
            json.writeStartObject();
            json.writeStringField("destination", d.destination());
            json.writeNumberField("queued", d.queued());
            json.writeNumberField("workers", d.workers());
            json.writeBooleanField("suspended", d.suspended());
            json.writeBooleanField("operator_suspended", d.operatorSuspended());
            if (d.oldestArrival() != null) {
              json.writeStringField("oldest_arrival", d.oldestArrival().toString());
            }
            json.writeEndObject();
          }
          json.writeEndArray();
        });
  }

  /** {@code {"operation":...,"messages":N,"recipients":N}}: the final line of a change. */
  static byte[] counts(String operation, QueueControl.Counts counts) {
    return JsonBodies.write(
        json -> {
          json.writeStringField("operation", operation);
          json.writeNumberField("messages", counts.messages());
          json.writeNumberField("recipients", counts.recipients());
        });
  }

  /** {@code {"progress":...,"messages":N,"recipients":N}}: a change's counts so far. */
  static byte[] progress(String operation, QueueControl.Counts counts) {
    return JsonBodies.write(
        json -> {
          json.writeStringField("progress", operation);
          json.writeNumberField("messages", counts.messages());
          json.writeNumberField("recipients", counts.recipients());
        });
  }
}
