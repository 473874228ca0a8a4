package io.vireo.relay.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One JSON object written to memory with Jackson's streaming generator: the admin and API bodies
 * and the journal lines of the suppression list and the API's durable logs all take this shape, so
 * it is written once here.
 */
public final class JsonObjects {
  private static final JsonFactory JSON = new JsonFactory();

  private JsonObjects() {}

  /** Writes the fields of one object; the braces are written around them. */
  public interface Fields {
    void write(JsonGenerator json) throws IOException;
  }

  /** One object holding {@code fields}, with no line break. */
  public static byte[] object(Fields fields) {
    return toBytes(fields, false);
  }

  /** One object holding {@code fields} and a newline: a line of NDJSON or of a journal. */
  public static byte[] line(Fields fields) {
    return toBytes(fields, true);
  }

  private static byte[] toBytes(Fields fields, boolean newline) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(160);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      fields.write(json);
      json.writeEndObject();
    } catch (IOException e) {
      // A ByteArrayOutputStream does not fail; only a bug in fields can get here.
      throw new UncheckedIOException("writing JSON to memory failed", e);
    }
    if (newline) {
      out.write('\n');
    }
    return out.toByteArray();
  }
}
