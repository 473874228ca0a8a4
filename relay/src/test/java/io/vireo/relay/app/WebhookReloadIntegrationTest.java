package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigLoader;
import io.vireo.config.VireoConfig;
import io.vireo.relay.admin.ReloadResult;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.ScriptedSmtpServer;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import io.vireo.relay.testing.WebhookReceiver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vireo reload} and the webhooks: a rotated secret file signs the next POSTs, an added
 * webhook starts at the log's end, a removed one gets nothing more, and a reload naming an
 * unreadable secret file is refused with the running webhooks left as they were.
 */
class WebhookReloadIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void secretRotationAddedAndRemovedWebhooksFollowAReload() throws Exception {
    Path spoolDir = dir.resolve("spool");
    Path secretA = dir.resolve("a.secret");
    Path secretB = dir.resolve("b.secret");
    Files.writeString(secretA, "first-secret\n");
    Files.writeString(secretB, "b-secret\n");
    try (WebhookReceiver a = new WebhookReceiver();
        WebhookReceiver b = new WebhookReceiver();
        ScriptedSmtpServer nextHop = new ScriptedSmtpServer("127.0.0.6")) {
      String hookA = hook(a, secretA);
      String hookB = hook(b, secretB);
      try (Relay relay = Relay.start(config(spoolDir, nextHop.port(), hookA))) {
        send(relay, "m1");
        Await.until("A gets m1's events", WAIT, () -> received(a, "m1"));
        assertSignedWith(a, "m1", "first-secret");

        Files.writeString(secretA, "second-secret\n");
        ReloadResult rotated = relay.reload(config(spoolDir, nextHop.port(), hookA));
        assertThat(rotated)
            .isInstanceOfSatisfying(
                ReloadResult.Applied.class,
                applied -> assertThat(applied.changed()).containsExactly("webhooks (secret-file)"));
        send(relay, "m2");
        Await.until("A gets m2's events", WAIT, () -> received(a, "m2"));
        assertSignedWith(a, "m2", "second-secret");

        ReloadResult added = relay.reload(config(spoolDir, nextHop.port(), hookA, hookB));
        assertThat(added)
            .isInstanceOfSatisfying(
                ReloadResult.Applied.class,
                applied -> assertThat(applied.changed()).containsExactly("webhooks"));
        send(relay, "m3");
        Await.until("A and B get m3's events", WAIT, () -> received(a, "m3") && received(b, "m3"));
        assertThat(received(b, "m1") || received(b, "m2"))
            .as("a new webhook starts at the log's end")
            .isFalse();
        assertSignedWith(b, "m3", "b-secret");

        relay.reload(config(spoolDir, nextHop.port(), hookB));
        int aBefore = a.accepted().size();
        send(relay, "m4");
        Await.until("B gets m4's events", WAIT, () -> received(b, "m4"));
        // B's POST of m4 came after the reload that stopped A; A's dispatcher is gone by then.
        assertThat(a.accepted()).hasSize(aBefore);

        Files.delete(secretB);
        ReloadResult refused = relay.reload(config(spoolDir, nextHop.port(), hookB));
        assertThat(refused)
            .isInstanceOfSatisfying(
                ReloadResult.Refused.class,
                r -> assertThat(r.message()).contains("b.secret"));
        send(relay, "m5");
        Await.until("B still gets m5's events", WAIT, () -> received(b, "m5"));
        assertSignedWith(b, "m5", "b-secret");
      }
    }
  }

  private static String hook(WebhookReceiver receiver, Path secret) {
    return "  - { url: \"%s\", secret-file: \"%s\", events: [received], timeout: 5s }\n"
        .formatted(receiver.url(), secret);
  }

  private static VireoConfig config(Path spoolDir, int nextHopPort, String... hooks)
      throws Exception {
    String delivery =
        """
        delivery:
          tls: none
          routes:
            - { domains: ["*"], via: "127.0.0.6:%d", tls: none }
        """
            .formatted(nextHopPort);
    return ConfigLoader.parse(
        TestRelays.yaml(spoolDir, delivery, "webhooks:\n" + String.join("", hooks)), "test.yaml");
  }

  /** One message from the null sender to {@code <name>@example.net}, whose events name it. */
  private static void send(Relay relay, String name) throws Exception {
    try (SmtpTestClient client = SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
      client.ehlo("app.test");
      client.sendMessage(
          "", List.of(name + "@example.net"), "Subject: " + name + "\r\n\r\nbody\r\n");
    }
  }

  private static boolean received(WebhookReceiver receiver, String name) {
    return receiver.accepted().stream().anyMatch(r -> body(r).contains(name + "@example.net"));
  }

  /** Every POST carrying {@code name}'s events is signed with {@code secret}, as documented. */
  private static void assertSignedWith(WebhookReceiver receiver, String name, String secret)
      throws Exception {
    List<WebhookReceiver.Request> requests =
        receiver.accepted().stream().filter(r -> body(r).contains(name + "@example.net")).toList();
    assertThat(requests).isNotEmpty();
    for (WebhookReceiver.Request request : requests) {
      Map<String, String> fields =
          java.util.Arrays.stream(request.signature().split(","))
              .map(part -> part.split("=", 2))
              .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((fields.get("t") + ".").getBytes(StandardCharsets.US_ASCII));
      String expected = HexFormat.of().formatHex(mac.doFinal(request.body()));
      assertThat(fields.get("v1")).as("signed with %s", secret).isEqualTo(expected);
    }
  }

  private static String body(WebhookReceiver.Request request) {
    return new String(request.body(), StandardCharsets.UTF_8);
  }
}
