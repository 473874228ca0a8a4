package io.vireo.relay.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON written with Jackson's streaming generator: API answers and the API's durable logs. */
final class JsonText {
  private static final JsonFactory JSON = new JsonFactory();

  private JsonText() {}

  interface Fields {
    void write(JsonGenerator json) throws IOException;
  }

  /** One object holding {@code fields}, with no line break. */
  static byte[] object(Fields fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      fields.write(json);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory failed", e);
    }
    return out.toByteArray();
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
