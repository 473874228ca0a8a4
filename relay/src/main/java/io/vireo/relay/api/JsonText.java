package io.vireo.relay.api;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vireo.relay.json.JsonObjects;
import java.io.IOException;

/** JSON written with Jackson's streaming generator: API answers and the API's durable logs. */
final class JsonText {
  private JsonText() {}

  /** One object holding {@code fields}, with no line break. */
  static byte[] object(JsonObjects.Fields fields) {
    return JsonObjects.object(fields);
  }

  static byte[] error(ApiError error) {
    return object(json -> writeError(json, error));
  }

  static void writeError(JsonGenerator json, ApiError error) throws IOException {
    json.writeObjectFieldStart("error");
    json.writeStringField("code", error.code());
    json.writeStringField("message", error.message());
    json.writeEndObject();
  }

  static byte[] accepted(String id) {
    return object(json -> json.writeStringField("id", id));
  }
}
