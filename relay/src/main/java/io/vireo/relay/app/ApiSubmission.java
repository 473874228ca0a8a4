package io.vireo.relay.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vireo.relay.compose.Draft;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code vireo send --api}: posts the draft's fields to {@code POST /v1/messages}, where the relay
 * composes it with the same composer {@code --smtp} uses. Returns the queue id.
 */
final class ApiSubmission {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private ApiSubmission() {}

  static String send(Draft draft, String baseUrl, String key) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl.replaceAll("/+$", "") + "/v1/messages"))
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(json(draft)))
            .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 202) {
      throw new IOException(
          "the API answered " + response.statusCode() + ": " + JsonValues.errorMessage(response.body()));
    }
    if (JsonValues.parse(response.body()) instanceof Map<?, ?> map && map.get("id") instanceof String id) {
      return id;
    }
    throw new IOException("the API answered 202 without an id: " + response.body());
  }

  static byte[] json(Draft draft) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("from", draft.from());
      array(json, "to", draft.to());
      array(json, "cc", draft.cc());
      array(json, "bcc", draft.bcc());
      if (draft.replyTo().isPresent()) {
        json.writeStringField("reply_to", draft.replyTo().get());
      }
      json.writeStringField("subject", draft.subject());
      if (draft.text().isPresent()) {
        json.writeStringField("text", draft.text().get());
      }
      if (draft.html().isPresent()) {
        json.writeStringField("html", draft.html().get());
      }
      json.writeArrayFieldStart("attachments");
      for (Draft.Attachment attachment : draft.attachments()) {
        json.writeStartObject();
        json.writeStringField("filename", attachment.filename());
        json.writeStringField("content_type", attachment.contentType());
        json.writeStringField("content", Base64.getEncoder().encodeToString(attachment.content()));
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeObjectFieldStart("headers");
      for (Map.Entry<String, String> header : draft.headers().entrySet()) {
        json.writeStringField(header.getKey(), header.getValue());
      }
      json.writeEndObject();
      json.writeEndObject();
    }
    return out.toByteArray();
  }

  private static void array(JsonGenerator json, String name, List<String> values) throws IOException {
    json.writeArrayFieldStart(name);
    for (String value : values) {
      json.writeString(value);
    }
    json.writeEndArray();
  }
}
