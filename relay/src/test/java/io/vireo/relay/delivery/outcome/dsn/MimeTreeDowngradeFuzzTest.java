package io.vireo.relay.delivery.outcome.dsn;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vireo.queue.MessageContent;
import jakarta.mail.BodyPart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Fuzzes {@link EightBitDowngrader} with generated MIME trees (multiparts, message/rfc822, text and
 * binary leaves with 8-bit bodies): a well-formed 8-bit message must always convert, and Jakarta
 * Mail decoding the converted message must give back every leaf's original body. Seeds and past
 * findings: {@code MimeTreeDowngradeFuzzTestInputs/mimeTree}. One fuzz test per class, since Jazzer
 * fuzzes one per JVM (bin/fuzz --ci).
 */
class MimeTreeDowngradeFuzzTest {
  private final EightBitDowngrader downgrader = new EightBitDowngrader();

  @FuzzTest(maxDuration = "2m")
  void mimeTree(FuzzedDataProvider data) throws Exception {
    List<byte[]> leaves = new ArrayList<>();
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    message.writeBytes("From: <a@example.com>\r\nSubject: fuzz\r\nMIME-Version: 1.0\r\n".getBytes(US_ASCII));
    entity(data, 0, message, leaves);
    byte[] original = message.toByteArray();

    DowngradeResult result = downgrader.downgrade(MessageContent.of(original));
    boolean eightBit = EightBitDowngrader.is8Bit(MessageContent.of(original));
    if (!eightBit) {
      assertThat(result).isInstanceOf(DowngradeResult.Unchanged.class);
      return;
    }
    assertThat(result).as("downgrade of a well-formed 8-bit MIME message").isInstanceOf(DowngradeResult.Converted.class);
    MessageContent converted = ((DowngradeResult.Converted) result).content();
    assertThat(OctetScan.classify(converted)).isEqualTo(OctetScan.Kind.SEVEN_BIT);

    MimeMessage parsed =
        new MimeMessage(Session.getInstance(new Properties()), converted.openStream());
    List<byte[]> decoded = new ArrayList<>();
    leaves(parsed, decoded);
    assertThat(decoded).as("leaf bodies after decoding").hasSameSizeAs(leaves);
    for (int i = 0; i < leaves.size(); i++) {
      assertThat(decoded.get(i)).as("leaf %d", i).isEqualTo(leaves.get(i));
    }
  }

  /** Writes the content header fields, empty line and body of one entity; collects leaf bodies. */
  private static void entity(FuzzedDataProvider data, int depth, ByteArrayOutputStream out, List<byte[]> leaves) {
    int kind = depth >= 3 ? data.consumeInt(0, 1) : data.consumeInt(0, 3);
    switch (kind) {
      case 0, 1 -> {
        boolean text = kind == 0;
        String encoding = data.pickValue(new String[] {"", "7bit", "8bit", "binary"});
        header(out, text ? "Content-Type: text/plain; charset=utf-8" : "Content-Type: application/octet-stream");
        if (!encoding.isEmpty()) {
          header(out, "Content-Transfer-Encoding: " + encoding);
        }
        out.write('\r');
        out.write('\n');
        byte[] body = body(data);
        out.writeBytes(body);
        leaves.add(body);
      }
      case 2 -> {
        header(out, "Content-Type: message/rfc822");
        out.writeBytes("\r\nSubject: inner\r\n".getBytes(US_ASCII));
        entity(data, depth + 1, out, leaves);
      }
      default -> {
        String boundary = "=_b" + depth + "_" + Integer.toHexString(data.consumeInt());
        header(out, "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"");
        out.writeBytes("\r\npreamble\r\n".getBytes(US_ASCII));
        int parts = data.consumeInt(1, 3);
        for (int i = 0; i < parts; i++) {
          out.writeBytes(("\r\n--" + boundary + "\r\n").getBytes(US_ASCII));
          entity(data, depth + 1, out, leaves);
        }
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(US_ASCII));
      }
    }
  }

  private static void header(ByteArrayOutputStream out, String field) {
    out.writeBytes((field + "\r\n").getBytes(US_ASCII));
  }

  /**
   * Lines as a spooled message has them: no CR or LF inside, CRLF between, none starting with the
   * two hyphens a boundary line could start with; no trailing CRLF (it belongs to the delimiter).
   */
  private static byte[] body(FuzzedDataProvider data) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int lines = data.consumeInt(0, 6);
    for (int i = 0; i < lines; i++) {
      if (i > 0) {
        body.write('\r');
        body.write('\n');
      }
      byte[] line = data.consumeBytes(data.consumeInt(0, 300));
      for (int j = 0; j < line.length; j++) {
        if (line[j] == '\r' || line[j] == '\n' || (j == 0 && line[j] == '-')) {
          line[j] = (byte) 0xe9;
        }
      }
      body.writeBytes(line);
    }
    return body.toByteArray();
  }

  private static void leaves(Part part, List<byte[]> out) throws Exception {
    if (part.isMimeType("multipart/*")) {
      MimeMultipart multipart = (MimeMultipart) part.getContent();
      for (int i = 0; i < multipart.getCount(); i++) {
        BodyPart child = multipart.getBodyPart(i);
        leaves(child, out);
      }
    } else if (part.isMimeType("message/rfc822")) {
      leaves((Part) part.getContent(), out);
    } else {
      try (InputStream in = part.getInputStream()) {
        out.add(in.readAllBytes());
      }
    }
  }
}
