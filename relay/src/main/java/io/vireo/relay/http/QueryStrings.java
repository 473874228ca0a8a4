package io.vireo.relay.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The query part of a request URI, for the admin and API servers. */
public final class QueryStrings {
  private QueryStrings() {}

  /**
   * {@code a=1&b=2}, percent-decoded, in order; a key without {@code =} has the empty value.
   *
   * @throws IllegalArgumentException if a key is given twice
   */
  public static Map<String, String> parse(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      if (query.put(key, value) != null) {
        throw new IllegalArgumentException("parameter given twice: " + key);
      }
    }
    return query;
  }
}
