package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.Rate;
import io.vireo.mailbox.testing.ExternalTool;
import io.vireo.queue.MessageId;
import io.vireo.relay.compose.MimeSummary;
import io.vireo.relay.events.Labels;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.ScriptedSmtpServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP send API of a real relay, called with the JDK's HttpClient and with curl: composed,
 * raw and batch submissions reach the next hop as correct MIME (read back by Python's email
 * package), their labels are kept, and {@code GET /v1/messages/{id}} shows each recipient.
 */
class ApiIntegrationTest {
  private static final String PDF_BASE64 =
      Base64.getEncoder().encodeToString("%PDF-1.4 fake \u0000 bytes".getBytes(StandardCharsets.ISO_8859_1));

  @TempDir Path dir;

  private final ApiHarness http = new ApiHarness();

  private static String delivery(ScriptedSmtpServer sink) {
    return """
        delivery:
          tls: none
          routes:
            - { domains: ["*"], via: "127.0.0.6:%d", tls: none }
        """
        .formatted(sink.port());
  }

  @Test
  void composedMessageIsDeliveredAsCorrectMimeAndShownPerRecipient() throws Exception {
    try (ScriptedSmtpServer sink = new ScriptedSmtpServer("127.0.0.6");
        Relay relay = Relay.start(ApiHarness.config(dir, delivery(sink), ""))) {
      String key = ApiHarness.createKey(dir, "shop", List.of("example.com"), Optional.empty());
      String json =
          """
          {"from": "Jürgen Müller <orders@shop.example.com>",
           "to": ["Zoë <zoe@example.net>"], "cc": "carol@example.org", "bcc": ["audit@example.org"],
           "reply_to": "help@example.com",
           "subject": "Ihre Bestellung – 注文",
           "text": "Hallo Zoë,\\nthanks.\\n", "html": "<p>Hallo <b>Zoë</b></p>",
           "attachments": [{"filename": "Rechnung März.pdf", "content_type": "application/pdf", "content": "%s"}],
           "headers": {"X-Order": "4711"},
           "tags": ["receipt", "de"], "metadata": {"order": "4711"}}
          """
              .formatted(PDF_BASE64);
      HttpResponse<String> response = http.post(relay, "/v1/messages", key, json);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
      String id = ApiHarness.id(response.body());
      // Durable before the 202: the spool has it already.
      assertThat(relay.spool().find(new MessageId(id))).isPresent();
      assertThat(relay.submissionLabels().labels(new MessageId(id)))
          .contains(new Labels(List.of("receipt", "de"), Map.of("order", "4711")));

      ScriptedSmtpServer.ReceivedMessage received = sink.awaitMessages(1, ApiHarness.TIMEOUT).getFirst();
      assertThat(received.mailFrom()).isEqualTo("orders@shop.example.com");
      assertThat(received.recipients())
          .containsExactlyInAnyOrder("zoe@example.net", "carol@example.org", "audit@example.org");
      String data = received.dataAsString();
      assertThat(data).startsWith("Received: from shop ([127.0.0.1])").contains("with HTTP id " + id);
      String summary = MimeSummary.of(data.getBytes(StandardCharsets.ISO_8859_1), dir);
      assertThat(summary)
          .contains("\"defects\": []", "\"ascii_headers\": true", "\"bcc_header\": false")
          .contains("\"from_name\": \"Jürgen Müller\"", "\"subject\": \"Ihre Bestellung – 注文\"")
          .contains("\"type\": \"multipart/alternative\"", "\"type\": \"multipart/mixed\"")
          .contains("\"filename\": \"Rechnung März.pdf\"", "\"X-Order\": \"4711\"");

      Await.until(
          "the API shows the recipients delivered",
          ApiHarness.TIMEOUT,
          () ->
              http.okBody(relay, "/v1/messages/" + id, key)
                  .contains("\"address\":\"zoe@example.net\",\"state\":\"delivered\""));
      String status = http.get(relay, "/v1/messages/" + id, key).body();
      assertThat(status)
          .contains("\"id\":\"" + id + "\"", "\"from\":\"orders@shop.example.com\"")
          .contains("\"tags\":[\"receipt\",\"de\"]", "\"metadata\":{\"order\":\"4711\"}")
          .contains("\"attempts\":1", "\"last_reply\":\"250");
    }
  }

  @Test
  void curlSubmitsRawAndBatchMessages() throws Exception {
    Path curl = ExternalTool.require("curl", "curl");
    try (ScriptedSmtpServer sink = new ScriptedSmtpServer("127.0.0.6");
        Relay relay = Relay.start(ApiHarness.config(dir, delivery(sink), ""))) {
      String key = ApiHarness.createKey(dir, "app", List.of(), Optional.empty());
      Path raw = Files.writeString(
          dir.resolve("raw.json"),
          """
          {"from": "app@example.com", "to": ["raw@example.net"],
           "message": "From: app@example.com\\r\\nTo: raw@example.net\\r\\nSubject: raw\\r\\n\\r\\nraw body\\r\\n"}
          """);
      ProcessRunner.Result result = ProcessRunner.run(
          List.of(curl.toString(), "-sS", "-w", "\\n%{http_code}", "-H", "Authorization: Bearer " + key,
              "-H", "Content-Type: application/json", "--data-binary", "@" + raw,
              ApiHarness.uri(relay, "/v1/messages/raw").toString()),
          ApiHarness.TIMEOUT);
      assertThat(result.output()).endsWith("\n202").contains("{\"id\":\"");

      Path batch = Files.writeString(
          dir.resolve("batch.json"),
          """
          {"messages": [
            {"from": "app@example.com", "to": "one@example.net", "subject": "1", "text": "one"},
            {"from": "app@example.com", "subject": "no recipient", "text": "x"},
            {"from": "app@example.com", "to": "two@example.net", "subject": "2", "text": "two"}]}
          """);
      ProcessRunner.Result batchResult = ProcessRunner.run(
          List.of(curl.toString(), "-sS", "-H", "Authorization: Bearer " + key,
              "--data-binary", "@" + batch, ApiHarness.uri(relay, "/v1/messages/batch").toString()),
          ApiHarness.TIMEOUT);
      assertThat(batchResult.output())
          .matches("(?s)\\{\"results\":\\[\\{\"status\":202,\"id\":\"[^\"]+\"},"
              + "\\{\"status\":400,\"error\":\\{\"code\":\"invalid_request\",\"message\":\"[^\"]*recipient[^\"]*\"}},"
              + "\\{\"status\":202,\"id\":\"[^\"]+\"}]}\\s*");

      List<ScriptedSmtpServer.ReceivedMessage> received = sink.awaitMessages(3, ApiHarness.TIMEOUT);
      assertThat(received).extracting(m -> m.recipients().getFirst())
          .containsExactlyInAnyOrder("raw@example.net", "one@example.net", "two@example.net");
      assertThat(received.stream().filter(m -> m.recipients().contains("raw@example.net")).findFirst().orElseThrow()
              .dataAsString())
          .endsWith("From: app@example.com\r\nTo: raw@example.net\r\nSubject: raw\r\n\r\nraw body\r\n");

      ProcessRunner.Result openApi = ProcessRunner.run(
          List.of(curl.toString(), "-sS", ApiHarness.uri(relay, "/v1/openapi.json").toString()),
          ApiHarness.TIMEOUT);
      assertThat(openApi.output()).contains("\"openapi\": \"3.1.0\"", "/v1/messages/batch");
    }
  }
}
