package io.vireo.mailbox.imap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AsciiSearchTest {
  @Test
  void foldsAsciiLettersOnly() {
    byte[] text = "Hello ZEPHYRINE world, caf\u00e9".getBytes(StandardCharsets.UTF_8);
    assertTrue(AsciiSearch.contains(text, 0, AsciiSearch.lowerAscii("zephyrine")));
    assertTrue(AsciiSearch.contains(text, 0, AsciiSearch.lowerAscii("ZePhYrInE WORLD")));
    assertTrue(AsciiSearch.contains(text, 0, AsciiSearch.lowerAscii("")));
    assertFalse(AsciiSearch.contains(text, 7, AsciiSearch.lowerAscii("hello")));
    assertFalse(AsciiSearch.contains(text, 0, AsciiSearch.lowerAscii("worlds")));
    assertNull(AsciiSearch.lowerAscii("caf\u00e9"));
    assertArrayEquals(new byte[] {'a', '[', '1'}, AsciiSearch.lowerAscii("A[1"));
  }

  /** Over ASCII text, the same answers as the decoded, lower-cased search it replaces. */
  @Test
  void agreesWithTheLowerCasedStringSearchOnAsciiText() {
    Random random = new Random(11);
    String alphabet = "abAB \r\n.-zZ";
    for (int round = 0; round < 2000; round++) {
      StringBuilder text = new StringBuilder();
      for (int i = random.nextInt(60); i > 0; i--) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      StringBuilder needle = new StringBuilder();
      for (int i = random.nextInt(4); i > 0; i--) {
        needle.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      int from = text.isEmpty() ? 0 : random.nextInt(text.length());
      boolean expected =
          text.substring(from).toLowerCase(Locale.ROOT).contains(needle.toString().toLowerCase(Locale.ROOT));
      assertEquals(
          expected,
          AsciiSearch.contains(
              text.toString().getBytes(StandardCharsets.US_ASCII), from, AsciiSearch.lowerAscii(needle.toString())),
          () -> text + " / " + needle);
    }
  }
}
