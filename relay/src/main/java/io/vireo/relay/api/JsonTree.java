package io.vireo.relay.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON request body into maps, lists, strings, numbers, booleans and nulls with
 * Jackson's streaming parser; anything malformed, nested too deep or followed by more tokens is a
 * 400, never an exception of another kind.
 */
final class JsonTree {
  private static final int MAX_DEPTH = 16;

  // Strings as large as a whole body (a raw message, a big attachment) are allowed; the body size
  // limit bounds them.
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxStringLength(Integer.MAX_VALUE)
                  .maxNestingDepth(MAX_DEPTH + 1)
                  .build())
          .build();

  private JsonTree() {}

  static Object parse(byte[] body) {
    try (JsonParser parser = JSON.createParser(body)) {
      Object value = value(parser, parser.nextToken(), 0);
      if (parser.nextToken() != null) {
        throw new ApiException(ApiError.invalid("the body holds more than one JSON value"));
      }
      return value;
    } catch (IOException | RuntimeException e) {
      if (e instanceof ApiException api) {
        throw api;
      }
      throw new ApiException(ApiError.invalid("the body is not valid JSON"));
    }
  }

  private static Object value(JsonParser parser, JsonToken token, int depth) throws IOException {
    if (token == null) {
      throw new ApiException(ApiError.invalid("the body is empty"));
    }
    if (depth > MAX_DEPTH) {
      throw new ApiException(ApiError.invalid("the JSON is nested too deeply"));
    }
    return switch (token) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
          String name = parser.currentName();
          if (map.put(name, value(parser, parser.nextToken(), depth + 1)) != null) {
            throw new ApiException(ApiError.invalid("field " + name + " is given twice"));
          }
        }
        yield map;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          list.add(value(parser, t, depth + 1));
        }
        yield list;
      }
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new ApiException(ApiError.invalid("unexpected JSON token " + token));
    };
  }
}
