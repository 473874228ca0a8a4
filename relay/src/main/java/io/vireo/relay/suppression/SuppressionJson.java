package io.vireo.relay.suppression;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vireo.relay.json.JsonObjects;
import java.io.IOException;
import java.util.List;

/**
 * The list as the admin API and {@code vireo suppression list --json} show it: {@code
 * {"suppressions":[{"address":..,"reason":..,"added":..,"expires":..|null}]}}.
 */
public final class SuppressionJson {
  private SuppressionJson() {}

  public static byte[] list(List<Suppression> entries) {
    return JsonObjects.line(
        json -> {
          json.writeArrayFieldStart("suppressions");
          for (Suppression s : entries) {
            json.writeStartObject();
            fields(json, s);
            json.writeEndObject();
          }
          json.writeEndArray();
        });
  }

  public static byte[] entry(Suppression s) {
    return JsonObjects.line(json -> fields(json, s));
  }

  /** {@code {"address":..,"removed":true}}: the answer to a removal. */
  public static byte[] removed(String address) {
    return JsonObjects.line(
        json -> {
          json.writeStringField("address", address);
          json.writeBooleanField("removed", true);
        });
  }

  /** {@code {"error":{"code":..,"message":..}}}, the shape of every API error. */
  public static byte[] error(String code, String message) {
    return JsonObjects.line(
        json -> {
          json.writeObjectFieldStart("error");
          json.writeStringField("code", code);
          json.writeStringField("message", message);
          json.writeEndObject();
        });
  }

  private static void fields(JsonGenerator json, Suppression s) throws IOException {
    json.writeStringField("address", s.address());
    json.writeStringField("reason", s.reason());
    json.writeStringField("added", s.added().toString());
    json.writeStringField("expires", s.expires() == null ? null : s.expires().toString());
  }
}
