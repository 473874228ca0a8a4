package io.vireo.relay.api;

import io.vireo.relay.compose.Draft;
import io.vireo.relay.events.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns request bodies into {@link SendRequest}s: field names, types and limits checked, unknown
 * fields refused (a typo such as {@code "bcc "} must not send mail to fewer people than meant).
 * Every failure is an {@link ApiException} with a 400 naming the field.
 */
final class RequestParser {
  static final int MAX_BATCH = 500;
  static final int MAX_TAGS = 20;
  static final int MAX_METADATA = 50;
  static final int MAX_LABEL_LENGTH = 128;
  static final int MAX_METADATA_VALUE = 1024;
  static final int MAX_RECIPIENTS = 1000;

  private static final Set<String> COMPOSE_FIELDS =
      Set.of(
          "from", "to", "cc", "bcc", "reply_to", "subject", "text", "html", "attachments",
          "headers", "tags", "metadata");
  private static final Set<String> RAW_FIELDS =
      Set.of("from", "to", "message", "message_base64", "tags", "metadata");
  private static final Set<String> ATTACHMENT_FIELDS = Set.of("filename", "content_type", "content");

  private RequestParser() {}

  static SendRequest.Compose compose(byte[] body) {
    return compose(object(JsonTree.parse(body), "the body"));
  }

  static SendRequest.Raw raw(byte[] body) {
    Map<String, Object> fields = object(JsonTree.parse(body), "the body");
    known(fields, RAW_FIELDS, "");
    String from = string(fields, "from", true);
    List<String> to = strings(fields, "to");
    if (to.isEmpty() || to.size() > MAX_RECIPIENTS) {
      throw invalid("to: give 1 to " + MAX_RECIPIENTS + " envelope recipients");
    }
    String text = string(fields, "message", false);
    String encoded = string(fields, "message_base64", false);
    if ((text == null) == (encoded == null)) {
      throw invalid("give exactly one of message and message_base64");
    }
    byte[] message = text != null ? text.getBytes(StandardCharsets.UTF_8) : base64("message_base64", encoded);
    return new SendRequest.Raw(from, to, message, labels(fields));
  }

  /** {@code {"messages": [ {...}, ... ]}}: each item parsed on its own, so one bad item fails alone. */
  static List<Object> batch(byte[] body) {
    Map<String, Object> fields = object(JsonTree.parse(body), "the body");
    known(fields, Set.of("messages"), "");
    if (!(fields.get("messages") instanceof List<?> items) || items.isEmpty()) {
      throw invalid("messages: give a non-empty array of messages");
    }
    if (items.size() > MAX_BATCH) {
      throw invalid("messages: at most " + MAX_BATCH + " per batch");
    }
    return List.copyOf(items.stream().map(item -> item == null ? Map.of() : item).toList());
  }

  static SendRequest.Compose compose(Map<String, Object> fields) {
    known(fields, COMPOSE_FIELDS, "");
    String from = string(fields, "from", true);
    List<String> to = strings(fields, "to");
    List<String> cc = strings(fields, "cc");
    List<String> bcc = strings(fields, "bcc");
    if (to.size() + cc.size() + bcc.size() > MAX_RECIPIENTS) {
      throw invalid("at most " + MAX_RECIPIENTS + " recipients in to, cc and bcc together");
    }
    String subject = string(fields, "subject", false);
    List<Draft.Attachment> attachments = new ArrayList<>();
    for (Object item : list(fields, "attachments")) {
      Map<String, Object> attachment = object(item, "attachments[]");
      known(attachment, ATTACHMENT_FIELDS, "attachments[].");
      String filename = string(attachment, "filename", true);
      String type = string(attachment, "content_type", false);
      attachments.add(
          new Draft.Attachment(
              filename,
              type == null ? "application/octet-stream" : type,
              base64("attachments[].content", string(attachment, "content", true))));
    }
    Draft draft =
        new Draft(
            from,
            to,
            cc,
            bcc,
            Optional.ofNullable(string(fields, "reply_to", false)),
            subject == null ? "" : subject,
            Optional.ofNullable(string(fields, "text", false)),
            Optional.ofNullable(string(fields, "html", false)),
            attachments,
            stringMap(fields, "headers", Integer.MAX_VALUE, 998));
    return new SendRequest.Compose(draft, labels(fields));
  }

  static Labels labels(Map<String, Object> fields) {
    List<String> tags = strings(fields, "tags");
    if (tags.size() > MAX_TAGS) {
      throw invalid("tags: at most " + MAX_TAGS);
    }
    for (String tag : tags) {
      if (tag.isEmpty() || tag.length() > MAX_LABEL_LENGTH) {
        throw invalid("tags: each 1 to " + MAX_LABEL_LENGTH + " characters");
      }
    }
    return new Labels(tags, stringMap(fields, "metadata", MAX_METADATA, MAX_METADATA_VALUE));
  }

  private static Map<String, String> stringMap(
      Map<String, Object> fields, String name, int maxEntries, int maxValue) {
    Object value = fields.get(name);
    if (value == null) {
      return Map.of();
    }
    Map<String, Object> map = object(value, name);
    if (map.size() > maxEntries) {
      throw invalid(name + ": at most " + maxEntries + " entries");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : map.entrySet()) {
      if (!(entry.getValue() instanceof String text)) {
        throw invalid(name + "." + entry.getKey() + ": must be a string");
      }
      if (entry.getKey().isEmpty() || entry.getKey().length() > MAX_LABEL_LENGTH || text.length() > maxValue) {
        throw invalid(name + "." + entry.getKey() + ": too long or empty");
      }
      out.put(entry.getKey(), text);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value, String what) {
    if (!(value instanceof Map<?, ?> map)) {
      throw invalid(what + " must be a JSON object");
    }
    return (Map<String, Object>) map;
  }

  private static void known(Map<String, Object> fields, Set<String> names, String prefix) {
    for (String name : fields.keySet()) {
      if (!names.contains(name)) {
        throw invalid("unknown field " + prefix + name);
      }
    }
  }

  private static String string(Map<String, Object> fields, String name, boolean required) {
    Object value = fields.get(name);
    if (value == null) {
      if (required) {
        throw invalid(name + " is required");
      }
      return null;
    }
    if (!(value instanceof String text)) {
      throw invalid(name + " must be a string");
    }
    return text;
  }

  private static List<Object> list(Map<String, Object> fields, String name) {
    Object value = fields.get(name);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> items)) {
      throw invalid(name + " must be an array");
    }
    return new ArrayList<>(items);
  }

  /** An array of strings, or one string standing for an array of one. */
  private static List<String> strings(Map<String, Object> fields, String name) {
    if (fields.get(name) instanceof String one) {
      return List.of(one);
    }
    List<String> out = new ArrayList<>();
    for (Object item : list(fields, name)) {
      if (!(item instanceof String text)) {
        throw invalid(name + " must hold strings");
      }
      out.add(text);
    }
    return out;
  }

  private static byte[] base64(String name, String text) {
    try {
      return Base64.getMimeDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw invalid(name + " is not valid base64");
    }
  }

  private static ApiException invalid(String message) {
    return new ApiException(ApiError.invalid(message));
  }
}
