package io.vireo.relay.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON value of the admin API into maps, lists, strings, numbers and booleans, with
 * Jackson's streaming parser (the relay has no data-binding library).
 */
final class JsonValues {
  private static final JsonFactory JSON = new JsonFactory();

  private JsonValues() {}

  static Object parse(String text) throws IOException {
    try (JsonParser parser = JSON.createParser(text)) {
      return value(parser, parser.nextToken());
    }
  }

  static Object value(JsonParser parser, JsonToken token) throws IOException {
    if (token == null) {
      throw new IOException("empty JSON");
    }
    return switch (token) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
          String name = parser.currentName();
          map.put(name, value(parser, parser.nextToken()));
        }
        yield map;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          list.add(value(parser, t));
        }
        yield list;
      }
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT -> parser.getLongValue();
      case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new IOException("unexpected JSON token " + token);
    };
  }

  /** {@code error.message} of an admin error body, or the body itself when it is not one. */
  static String errorMessage(String body) {
    try {
      if (parse(body) instanceof Map<?, ?> map
          && map.get("error") instanceof Map<?, ?> error
          && error.get("message") instanceof String message) {
        return message;
      }
    } catch (IOException e) {
      // Not JSON: show it as it came.
    }
    return body.strip();
  }
}
