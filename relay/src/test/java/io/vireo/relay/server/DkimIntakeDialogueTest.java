package io.vireo.relay.server;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.DkimConfig;
import io.vireo.queue.MessageContent;
import io.vireo.relay.dkim.DkimSigner;
import io.vireo.relay.testing.Dkimpy;
import io.vireo.relay.testing.Dkimpy.TestKey;
import io.vireo.relay.testing.SmtpTestClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener signs at acceptance: a message sent over SMTP (DATA or BDAT) is stored with its
 * DKIM-Signature, once, before the 250; dkimpy verifies the stored octets.
 */
class DkimIntakeDialogueTest {
  @TempDir Path dir;
  private ServerFixture fixture;

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void messagesAreStoredSignedOnceAndVerify() throws Exception {
    Dkimpy.require();
    TestKey key = Dkimpy.ed25519(dir);
    DkimSigner signer =
        DkimSigner.load(
            List.of(new DkimConfig("client.test", "k1", key.pemFile(), DkimConfig.DEFAULT_HEADERS)),
            ServerFixture.NOW_CLOCK);
    AtomicInteger signings = new AtomicInteger();
    fixture =
        new ServerFixture()
            .beforeStore(
                content -> {
                  signings.incrementAndGet();
                  return signer.sign(content);
                })
            .start();
    String message = "From: a@client.test\r\nSubject: signed\r\n\r\nbody\r\n";
    try (SmtpTestClient c = fixture.connectAndEhlo()) {
      c.send("MAIL FROM:<a@client.test>").expect(250);
      c.send("RCPT TO:<b@local.test>").expect(250);
      c.send("DATA").expect(354);
      c.sendRaw(message + ".\r\n").expect(250, "2.0.0");
      c.send("MAIL FROM:<a@client.test>").expect(250);
      c.send("RCPT TO:<b@local.test>").expect(250);
      c.sendRaw("BDAT " + message.length() + " LAST\r\n" + message).expect(250, "2.0.0");
    }
    assertThat(signings).hasValue(2);
    for (var stored : fixture.spool.messages()) {
      byte[] bytes = stored.content().toByteArray();
      String text = new String(bytes, ISO_8859_1);
      assertThat(text).startsWith("DKIM-Signature: v=1; a=ed25519-sha256;");
      assertThat(text.split("DKIM-Signature:", -1)).hasSize(2);
      assertThat(text).contains("Received: from client.test").endsWith(message);
      Dkimpy.assertVerifies(bytes, key, "k1._domainkey.client.test", dir);
    }
  }

  @Test
  void aFailingSignerStoresTheMessageUnsignedRatherThanLosingIt() throws IOException {
    fixture =
        new ServerFixture()
            .beforeStore(
                content -> {
                  throw new IllegalStateException("signer broke");
                })
            .start();
    try (SmtpTestClient c = fixture.connectAndEhlo()) {
      c.send("MAIL FROM:<a@client.test>").expect(250);
      c.send("RCPT TO:<b@local.test>").expect(250);
      c.send("DATA").expect(354);
      c.sendRaw("From: a@client.test\r\n\r\nx\r\n.\r\n").expect(250, "2.0.0");
    }
    MessageContent stored = fixture.spool.only().content();
    assertThat(new String(stored.toByteArray(), ISO_8859_1)).startsWith("Received:");
  }
}
