package io.vireo.relay.suppression;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The list as the admin API and {@code vireo suppression list --json} show it: {@code
 * {"suppressions":[{"address":..,"reason":..,"added":..,"expires":..|null}]}}.
 */
public final class SuppressionJson {
  private static final JsonFactory JSON = new JsonFactory();

  private SuppressionJson() {}

  public static byte[] list(List<Suppression> entries) {
    return write(
        json -> {
          json.writeStartObject();
          json.writeArrayFieldStart("suppressions");
          for (Suppression s : entries) {
            fields(json, s);
          }
          json.writeEndArray();
          json.writeEndObject();
        });
  }

  public static byte[] entry(Suppression s) {
    return write(json -> fields(json, s));
  }

  /** {@code {"address":..,"removed":true}}: the answer to a removal. */
  public static byte[] removed(String address) {
    return write(
        json -> {
          json.writeStartObject();
          json.writeStringField("address", address);
          json.writeBooleanField("removed", true);
          json.writeEndObject();
        });
  }

  /** {@code {"error":{"code":..,"message":..}}}, the shape of every API error. */
  public static byte[] error(String code, String message) {
    return write(
        json -> {
          json.writeStartObject();
          json.writeObjectFieldStart("error");
          json.writeStringField("code", code);
          json.writeStringField("message", message);
          json.writeEndObject();
          json.writeEndObject();
        });
  }

  private static void fields(JsonGenerator json, Suppression s) throws IOException {
    json.writeStartObject();
    json.writeStringField("address", s.address());
    json.writeStringField("reason", s.reason());
    json.writeStringField("added", s.added().toString());
    json.writeStringField("expires", s.expires() == null ? null : s.expires().toString());
    json.writeEndObject();
  }

  private interface Body {
    void write(JsonGenerator json) throws IOException;
  }

  private static byte[] write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      body.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    return out.toByteArray();
  }
}
