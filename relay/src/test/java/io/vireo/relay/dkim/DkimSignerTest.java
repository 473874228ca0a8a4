package io.vireo.relay.dkim;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.config.DkimConfig;
import io.vireo.queue.MessageContent;
import io.vireo.queue.testing.ManualClock;
import io.vireo.relay.testing.Dkimpy;
import io.vireo.relay.testing.Dkimpy.TestKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DKIM signatures checked by an independent verifier, dkimpy, for RSA and Ed25519. */
class DkimSignerTest {
  private static final String MESSAGE =
      "Received: from app.test ([127.0.0.1])\r\n\tby mx.test (Vireo) with ESMTP id X;"
          + " Tue, 3 Jun 2025 11:05:30 +0000\r\n"
          + "From: \"App\"  <app@Example.COM>\r\n"
          + "To: bob@elsewhere.test,\r\n\t  carol@elsewhere.test\r\n"
          + "To: dave@elsewhere.test\r\n"
          + "Subject:   folded\r\n   subject\t with  spaces  \r\n"
          + "Date: Tue, 3 Jun 2025 11:05:30 +0000\r\n"
          + "Message-ID: <1@example.com>\r\n"
          + "\r\n"
          + "Body  with \t runs of whitespace   \r\n"
          + "\r\n"
          + "last line\r\n"
          + "\r\n"
          + "\r\n";

  @TempDir static Path dir;
  private static TestKey rsa;
  private static TestKey ed25519;

  private final ManualClock clock = new ManualClock();

  @BeforeAll
  static void keys() throws IOException {
    rsa = Dkimpy.rsa(dir);
    ed25519 = Dkimpy.ed25519(dir);
  }

  private DkimSigner signer(String domain, String selector, TestKey key) throws IOException {
    return DkimSigner.load(
        List.of(new DkimConfig(domain, selector, key.pemFile(), DkimConfig.DEFAULT_HEADERS)),
        clock);
  }

  private static byte[] sign(DkimSigner signer, String message) {
    return signer.sign(MessageContent.of(message.getBytes(UTF_8))).toByteArray();
  }

  @Test
  void rsaSha256VerifiesWithDkimpy() throws Exception {
    Dkimpy.require();
    byte[] signed = sign(signer("example.com", "s2026", rsa), MESSAGE);
    String header = new String(signed, ISO_8859_1);
    assertThat(header)
        .startsWith(
            "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=s2026;")
        .contains("t=" + clock.instant().getEpochSecond() + ";")
        .contains("h=from:from:subject:date:to:to:message-id;")
        .endsWith(MESSAGE);
    Dkimpy.assertVerifies(signed, rsa, "s2026._domainkey.example.com", dir);
  }

  @Test
  void ed25519Sha256VerifiesWithDkimpy() throws Exception {
    Dkimpy.require();
    byte[] signed = sign(signer("example.com", "ed", ed25519), MESSAGE);
    assertThat(new String(signed, ISO_8859_1)).contains("a=ed25519-sha256;");
    Dkimpy.assertVerifies(signed, ed25519, "ed._domainkey.example.com", dir);
  }

  @Test
  void aChangedHeaderOrBodyOrAnAddedFromFailsVerification() throws Exception {
    Dkimpy.require();
    String signed = new String(sign(signer("example.com", "s", rsa), MESSAGE), ISO_8859_1);
    assertThat(verify(signed.replace("folded", "forged"))).startsWith("fail");
    assertThat(verify(signed.replace("last line", "last lime"))).startsWith("fail");
    // From is oversigned: a second From added on the way breaks the signature.
    String added = signed.replace("Date:", "From: ceo@example.com\r\nDate:");
    assertThat(verify(added)).startsWith("fail");
    // Whitespace changes within lines and trailing empty lines are what relaxed forgives.
    String relaxed = signed.replace("runs of", "runs   of").replace("\r\n\r\n\r\n", "\r\n");
    assertThat(verify(relaxed)).startsWith("pass");
  }

  private static String verify(String message) throws Exception {
    return Dkimpy.verify(message.getBytes(ISO_8859_1), rsa.txtRecord(), dir);
  }

  @Test
  void theKeyIsChosenByTheFromDomainOrItsNearestParent() throws Exception {
    Dkimpy.require();
    DkimSigner signer =
        DkimSigner.load(
            List.of(
                new DkimConfig("example.com", "parent", rsa.pemFile(), DkimConfig.DEFAULT_HEADERS),
                new DkimConfig(
                    "news.example.com", "child", ed25519.pemFile(), List.of("From", "Subject"))),
            clock);
    byte[] child = sign(signer, MESSAGE.replace("app@Example.COM", "app@news.example.com"));
    assertThat(new String(child, ISO_8859_1)).contains("d=news.example.com; s=child;");
    Dkimpy.assertVerifies(child, ed25519, "child._domainkey.news.example.com", dir);
    byte[] grandchild = sign(signer, MESSAGE.replace("app@Example.COM", "app@a.b.example.com"));
    assertThat(new String(grandchild, ISO_8859_1)).contains("d=example.com; s=parent;");
    Dkimpy.assertVerifies(grandchild, rsa, "parent._domainkey.example.com", dir);
  }

  @Test
  void messagesWithoutAKeyOrWithoutExactlyOneFromAreLeftAlone() throws IOException {
    DkimSigner signer = signer("example.com", "s", rsa);
    for (String message :
        List.of(
            MESSAGE.replace("app@Example.COM", "app@example.org"),
            MESSAGE.replace("app@Example.COM", "app@notexample.com"),
            MESSAGE.replace("Date:", "From: other@example.com\r\nDate:"),
            MESSAGE.replace("From: \"App\"  <app@Example.COM>\r\n", ""))) {
      MessageContent content = MessageContent.of(message.getBytes(UTF_8));
      assertThat(signer.sign(content)).isSameAs(content);
    }
  }

  /**
   * 8-bit content is converted to quoted-printable before it is signed, so a later hop without
   * 8BITMIME has nothing left to convert.
   */
  @Test
  void eightBitContentIsMadeSevenBitBeforeSigning() throws Exception {
    Dkimpy.require();
    String eightBit =
        "From: app@example.com\r\nSubject: umlauts\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + "Grüße aus Köln\r\n";
    byte[] signed = sign(signer("example.com", "s", ed25519), eightBit);
    for (byte b : signed) {
      assertThat(b).as("every octet is 7-bit").isNotNegative();
    }
    assertThat(new String(signed, ISO_8859_1))
        .contains("Content-Transfer-Encoding: quoted-printable")
        .contains("Gr=C3=BC=C3=9Fe aus K=C3=B6ln");
    Dkimpy.assertVerifies(signed, ed25519, "s._domainkey.example.com", dir);
  }

  @Test
  void unusableKeysNameTheConfigKeyAndFile() throws IOException {
    Path notPem = Files.writeString(dir.resolve("junk.pem"), "not a key\n");
    assertThatThrownBy(() -> signer("example.com", "s", new TestKey(notPem, "")))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("dkim[0].key-file " + notPem + ": expected an unencrypted PEM");
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> signer("example.com", "s", new TestKey(missing, "")))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("dkim[0].key-file " + missing + ": ");
  }
}
