package io.vireo.relay.suppression;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vireo.relay.json.JsonObjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The journal's lines: {@code {"op":"add","address":..,"reason":..,"added":..,"expires":..|null}}
 * and {@code {"op":"remove","address":..,"time":..}}. Replaying them in order gives the list.
 */
final class SuppressionJournal {
  static final int MAX_LINE = 64 * 1024;
  private static final JsonFactory JSON = new JsonFactory();

  /** One journal line, read. */
  sealed interface Entry {
    record Add(Suppression suppression) implements Entry {}

    record Remove(String address, Instant time) implements Entry {}
  }

  private SuppressionJournal() {}

  static byte[] add(Suppression s) {
    return JsonObjects.line(
        json -> {
          json.writeStringField("op", "add");
          json.writeStringField("address", s.address());
          json.writeStringField("reason", s.reason());
          json.writeStringField("added", s.added().toString());
          json.writeStringField("expires", s.expires() == null ? null : s.expires().toString());
        });
  }

  static byte[] remove(String address, Instant time) {
    return JsonObjects.line(
        json -> {
          json.writeStringField("op", "remove");
          json.writeStringField("address", address);
          json.writeStringField("time", time.toString());
        });
  }

  /**
   * Reads one line (without its newline).
   *
   * @throws IllegalArgumentException when it is not a journal line
   */
  static Entry parse(String line) {
    if (line.length() > MAX_LINE) {
      throw new IllegalArgumentException("line longer than " + MAX_LINE);
    }
    Map<String, String> f = new HashMap<>();
    try (JsonParser json = JSON.createParser(line.getBytes(StandardCharsets.UTF_8))) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("a journal line is a JSON object");
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String name = json.currentName();
        JsonToken value = json.nextToken();
        if (value == JsonToken.VALUE_STRING) {
          f.put(name, json.getText());
        } else if (value != JsonToken.VALUE_NULL) {
          json.skipChildren();
        }
      }
      if (json.currentToken() != JsonToken.END_OBJECT || json.nextToken() != null) {
        throw new IllegalArgumentException("trailing data");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
    String op = required(f, "op");
    return switch (op) {
      case "add" ->
          new Entry.Add(
              new Suppression(
                  required(f, "address"),
                  required(f, "reason"),
                  instant(required(f, "added")),
                  f.get("expires") == null ? null : instant(f.get("expires"))));
      case "remove" ->
          new Entry.Remove(Suppression.normalize(required(f, "address")), instant(required(f, "time")));
      default -> throw new IllegalArgumentException("unknown op: " + op);
    };
  }

  private static String required(Map<String, String> f, String name) {
    String value = f.get(name);
    if (value == null) {
      throw new IllegalArgumentException("missing " + name);
    }
    return value;
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("not a time: " + text);
    }
  }
}
