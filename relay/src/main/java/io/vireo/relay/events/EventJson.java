package io.vireo.relay.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.vireo.queue.MessageId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link Event} as one line of JSON, and back. Every field is always written (null when it does
 * not apply), so receivers see one shape:
 *
 * <pre>
 * {"event_id":"3f2a9c1e-42","type":"bounced","id":"01M8VDTCBZ00006Y9W9D","recipient":"u@example.net",
 *  "sender":"app@example.com","time":"2026-12-02T13:06:35.118Z","tags":["welcome"],
 *  "metadata":{"user":"42"},"relay":"mx.example.net[192.0.2.1]:25",
 *  "reply":"550 5.1.1 no such user","dsn":"5.1.1","next_attempt":null}
 * </pre>
 *
 * Reading ignores unknown fields (a later version may add some) and refuses a line without {@code
 * event_id}, {@code type}, {@code recipient} or {@code time}.
 */
public final class EventJson {
  /** Longest line read back; longer ones are refused rather than buffered. */
  public static final int MAX_LINE = 1 << 20;

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(8).maxStringLength(MAX_LINE).build())
          .build();

  private EventJson() {}

  /**
   * Writes {@code "tags":[..],"metadata":{..}} into the open object: an event and the API's message
   * status show an application's labels in the same two fields.
   */
  public static void writeLabels(JsonGenerator json, Labels labels) throws IOException {
    json.writeArrayFieldStart("tags");
    for (String tag : labels.tags()) {
      json.writeString(tag);
    }
    json.writeEndArray();
    json.writeObjectFieldStart("metadata");
    for (Map.Entry<String, String> entry : labels.metadata().entrySet()) {
      json.writeStringField(entry.getKey(), entry.getValue());
    }
    json.writeEndObject();
  }

  /** The event as UTF-8 JSON followed by a newline. */
  public static byte[] line(Event event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(384);
    write(event, out);
    return out.toByteArray();
  }

  /** Writes the event and a newline to {@code out}. */
  public static void write(Event event, ByteArrayOutputStream out) {
    RecipientEvent e = event.change();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("event_id", event.eventId());
      json.writeStringField("type", e.type().wireName());
      json.writeStringField("id", e.id() == null ? null : e.id().value());
      json.writeStringField("recipient", e.recipient());
      json.writeStringField("sender", e.sender());
      json.writeStringField("time", e.time().toString());
      writeLabels(json, event.labels());
      json.writeStringField("relay", e.relay());
      json.writeStringField("reply", e.reply());
      json.writeStringField("dsn", e.dsn());
      json.writeStringField(
          "next_attempt", e.nextAttempt() == null ? null : e.nextAttempt().toString());
      json.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException("writing JSON to memory failed", ex);
    }
    out.write('\n');
  }

  /**
   * Reads one line (without or with its newline).
   *
   * @throws IllegalArgumentException when it is not an event this class writes
   */
  public static Event parse(byte[] line, int offset, int length) {
    if (length > MAX_LINE) {
      throw new IllegalArgumentException("event line longer than " + MAX_LINE + " bytes");
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    try (JsonParser json = JSON.createParser(line, offset, length)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("an event is a JSON object");
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String name = json.currentName();
        JsonToken value = json.nextToken();
        switch (name) {
          case "tags" -> fields.put(name, stringArray(json, value));
          case "metadata" -> fields.put(name, stringObject(json, value));
          default -> {
            if (value == JsonToken.VALUE_STRING) {
              fields.put(name, wellFormed(json.getText()));
            } else if (value == JsonToken.VALUE_NULL) {
              fields.remove(name);
            } else {
              json.skipChildren(); // an unknown structure from a later version
            }
          }
        }
      }
      if (json.currentToken() != JsonToken.END_OBJECT || json.nextToken() != null) {
        throw new IllegalArgumentException("trailing data after the event");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
    return toEvent(fields);
  }

  public static Event parse(String line) {
    byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return parse(bytes, 0, bytes.length);
  }

  @SuppressWarnings("unchecked")
  private static Event toEvent(Map<String, Object> f) {
    String eventId = required(f, "event_id");
    EventType type = EventType.fromWire(required(f, "type"));
    String id = text(f, "id");
    if (id != null && !MessageId.isValid(id)) {
      throw new IllegalArgumentException("not a queue id: " + id);
    }
    RecipientEvent change =
        new RecipientEvent(
            type,
            id == null ? null : new MessageId(id),
            required(f, "recipient"),
            text(f, "sender"),
            instant(required(f, "time")),
            text(f, "relay"),
            text(f, "reply"),
            text(f, "dsn"),
            f.get("next_attempt") == null ? null : instant(text(f, "next_attempt")));
    List<String> tags = (List<String>) f.getOrDefault("tags", List.of());
    Map<String, String> metadata = (Map<String, String>) f.getOrDefault("metadata", Map.of());
    return new Event(eventId, change, new Labels(tags, metadata));
  }

  private static String required(Map<String, Object> f, String name) {
    String value = text(f, name);
    if (value == null) {
      throw new IllegalArgumentException("missing " + name);
    }
    return value;
  }

  private static String text(Map<String, Object> f, String name) {
    Object value = f.get(name);
    if (value != null && !(value instanceof String)) {
      throw new IllegalArgumentException(name + " is not a string");
    }
    return (String) value;
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("not a time: " + text);
    }
  }

  private static List<String> stringArray(JsonParser json, JsonToken start) throws IOException {
    if (start != JsonToken.START_ARRAY) {
      throw new IllegalArgumentException("tags is not an array");
    }
    List<String> values = new ArrayList<>();
    while (json.nextToken() == JsonToken.VALUE_STRING) {
      values.add(wellFormed(json.getText()));
    }
    if (json.currentToken() != JsonToken.END_ARRAY) {
      throw new IllegalArgumentException("tags holds something other than strings");
    }
    return values;
  }

  private static Map<String, String> stringObject(JsonParser json, JsonToken start)
      throws IOException {
    if (start != JsonToken.START_OBJECT) {
      throw new IllegalArgumentException("metadata is not an object");
    }
    Map<String, String> values = new LinkedHashMap<>();
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String key = wellFormed(json.currentName());
      if (json.nextToken() != JsonToken.VALUE_STRING) {
        throw new IllegalArgumentException("metadata values are strings");
      }
      if (values.put(key, wellFormed(json.getText())) != null) {
        throw new IllegalArgumentException("metadata key given twice: " + key);
      }
    }
    return values;
  }

  /** Refuses text with a lone surrogate ({@code "\ud800"}): it has no UTF-8 form to write back. */
  static String wellFormed(String text) {
    if (!Strings.wellFormed(text)) {
      throw new IllegalArgumentException("text with a lone surrogate");
    }
    return text;
  }

  /** The sequence number at the end of an event id ({@code <log id>-<n>}), or -1. */
  public static long sequence(String eventId) {
    int dash = eventId.lastIndexOf('-');
    try {
      return dash < 0 ? -1 : Long.parseLong(eventId, dash + 1, eventId.length(), 10);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
