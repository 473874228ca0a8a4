package io.vireo.mailbox.imap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResponseWriterTest {
  /** Small literals go through the buffer, large ones in bulk: the octets are the same. */
  @Test
  void streamsLiteralsOfAnySizeExactly() throws Exception {
    Random random = new Random(11);
    for (int size : new int[] {0, 1, 100, 16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, 300_000}) {
      byte[] content = new byte[size];
      random.nextBytes(content);
      ByteArrayOutputStream sent = new ByteArrayOutputStream();
      ResponseWriter out = new ResponseWriter(sent);
      out.text("* 1 FETCH (BODY[] ").literal(size, new ByteArrayInputStream(content)).text(")").crlf();
      out.flush();
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      expected.writeBytes(("* 1 FETCH (BODY[] {" + size + "}\r\n").getBytes(StandardCharsets.US_ASCII));
      expected.writeBytes(content);
      expected.writeBytes(")\r\n".getBytes(StandardCharsets.US_ASCII));
      assertArrayEquals(expected.toByteArray(), sent.toByteArray(), "size " + size);
    }
  }

  /** A file shorter than announced is padded, a longer one cut: the framing holds. */
  @Test
  void padsShortContentAndCutsLongContent() throws Exception {
    for (int size : new int[] {10, 200_000}) {
      byte[] content = new byte[size / 2];
      Arrays.fill(content, (byte) 'x');
      ByteArrayOutputStream sent = new ByteArrayOutputStream();
      ResponseWriter out = new ResponseWriter(sent);
      out.literal(size, new ByteArrayInputStream(content));
      out.literal(4, new ByteArrayInputStream(new byte[] {'a', 'b', 'c', 'd', 'e'}));
      out.flush();
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      expected.writeBytes(("{" + size + "}\r\n").getBytes(StandardCharsets.US_ASCII));
      expected.writeBytes(content);
      expected.writeBytes(" ".repeat(size - content.length).getBytes(StandardCharsets.US_ASCII));
      expected.writeBytes("{4}\r\nabcd".getBytes(StandardCharsets.US_ASCII));
      assertArrayEquals(expected.toByteArray(), sent.toByteArray(), "size " + size);
    }
  }
}
