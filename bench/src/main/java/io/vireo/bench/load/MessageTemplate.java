package io.vireo.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A bench message of one exact size, rendered once: per message only the {@code Message-ID} and
 * {@code X-Vireo-Bench-Seq} headers are written afresh, and a padding line absorbs the difference in
 * their length so every message is exactly {@link #size()} bytes (headers included, before
 * dot-stuffing).
 *
 * <p>Layout: variable headers, fixed headers, blank line, padding line of {@code x}, then a fixed body
 * that starts with a line beginning with a dot and a line holding a lone dot (so every message
 * exercises dot-stuffing, RFC 5321 section 4.5.2), then filler lines of 76 characters.
 */
final class MessageTemplate {
  /** Body line that a receiver must get back intact after un-stuffing. */
  static final String DOT_LINE = ".leading dot survives dot-stuffing (RFC 5321 section 4.5.2)";

  static final String SEQUENCE_HEADER = "X-Vireo-Bench-Seq";
  private static final int MIN_PADDING = 8;
  private static final int FILLER_LINE = 76;
  private static final byte[] FILLER_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
          .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MESSAGE_ID_PREFIX = ascii("Message-ID: <");
  private static final byte[] SEQUENCE_PREFIX = ascii(">\r\n" + SEQUENCE_HEADER + ": ");
  private static final byte[] CRLF = ascii("\r\n");
  private static final byte[] TERMINATOR = ascii(".\r\n");

  private final int size;
  private final byte[] messageIdSuffix; // ".<run>@vireo-bench.test"
  private final byte[] fixedHeaders;
  private final byte[] paddingLine; // maximum padding of 'x' followed by CRLF
  private final byte[] fixedBody;
  private final byte[] stuffedBodyAndTerminator;
  private final int maxVariableHeader;

  private MessageTemplate(
      int size,
      byte[] messageIdSuffix,
      byte[] fixedHeaders,
      byte[] fixedBody,
      int maxVariableHeader) {
    this.size = size;
    this.messageIdSuffix = messageIdSuffix;
    this.fixedHeaders = fixedHeaders;
    this.fixedBody = fixedBody;
    this.maxVariableHeader = maxVariableHeader;
    int maxPadding = size - fixedHeaders.length - CRLF.length - fixedBody.length
        - variableHeaderLength(1);
    this.paddingLine = new byte[maxPadding + CRLF.length];
    Arrays.fill(paddingLine, 0, maxPadding, (byte) 'x');
    System.arraycopy(CRLF, 0, paddingLine, maxPadding, CRLF.length);
    byte[] stuffed = DotStuffing.stuff(fixedBody);
    this.stuffedBodyAndTerminator = Arrays.copyOf(stuffed, stuffed.length + TERMINATOR.length);
    System.arraycopy(TERMINATOR, 0, stuffedBodyAndTerminator, stuffed.length, TERMINATOR.length);
  }

  /**
   * Renders a template for messages of {@code size} bytes numbered up to {@code maxSequence}.
   *
   * @param runId token that makes Message-IDs unique across runs
   * @param date RFC 5322 date for the Date header
   * @throws IllegalArgumentException if {@code size} cannot even hold the headers
   */
  static MessageTemplate create(
      long size, String from, String firstRecipient, String runId, long maxSequence, String date) {
    if (size > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("message size too large: " + size);
    }
    byte[] messageIdSuffix = ascii("." + runId + "@vireo-bench.test");
    byte[] fixedHeaders =
        ascii(
            "From: <" + from + ">\r\n"
                + "To: <" + firstRecipient + ">\r\n"
                + "Subject: vireo bench message\r\n"
                + "Date: " + date + "\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "\r\n");
    int maxVariable = variableHeaderLength(messageIdSuffix, maxSequence);
    long bodyBudget = size - maxVariable - fixedHeaders.length - CRLF.length - MIN_PADDING;
    if (bodyBudget < 0) {
      throw new IllegalArgumentException(
          "message size " + size + " cannot hold the bench headers; the minimum is "
              + (size - bodyBudget));
    }
    // A body of one byte cannot be whole lines; the padding line takes that byte instead.
    byte[] fixedBody = fixedBody(bodyBudget == 1 ? 0 : (int) bodyBudget);
    return new MessageTemplate((int) size, messageIdSuffix, fixedHeaders, fixedBody, maxVariable);
  }

  /** The size of every message, headers included, before dot-stuffing. */
  int size() {
    return size;
  }

  /** A scratch buffer large enough for {@link #write}; one per writing thread. */
  byte[] newScratch() {
    return new byte[maxVariableHeader];
  }

  /**
   * Writes message {@code sequence} as DATA content, dot-stuffed and followed by the terminating
   * {@code .CRLF}, to {@code out}, using {@code scratch} for the per-message headers.
   */
  void write(long sequence, byte[] scratch, OutputStream out) throws IOException {
    int variableLength = renderVariableHeaders(sequence, scratch);
    out.write(scratch, 0, variableLength);
    out.write(fixedHeaders);
    int padding = paddingLength(variableLength);
    out.write(paddingLine, paddingLine.length - CRLF.length - padding, padding + CRLF.length);
    out.write(stuffedBodyAndTerminator);
  }

  /** Message {@code sequence} as the receiver should see it after un-stuffing (for tests). */
  byte[] content(long sequence) {
    byte[] scratch = newScratch();
    int variableLength = renderVariableHeaders(sequence, scratch);
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    out.write(scratch, 0, variableLength);
    out.writeBytes(fixedHeaders);
    int padding = paddingLength(variableLength);
    out.write(paddingLine, paddingLine.length - CRLF.length - padding, padding + CRLF.length);
    out.writeBytes(fixedBody);
    return out.toByteArray();
  }

  private int paddingLength(int variableLength) {
    return size - variableLength - fixedHeaders.length - fixedBody.length - CRLF.length;
  }

  private int renderVariableHeaders(long sequence, byte[] scratch) {
    int at = put(scratch, 0, MESSAGE_ID_PREFIX);
    at = putDecimal(scratch, at, sequence);
    at = put(scratch, at, messageIdSuffix);
    at = put(scratch, at, SEQUENCE_PREFIX);
    at = putDecimal(scratch, at, sequence);
    return put(scratch, at, CRLF);
  }

  private int variableHeaderLength(long sequence) {
    return variableHeaderLength(messageIdSuffix, sequence);
  }

  private static int variableHeaderLength(byte[] messageIdSuffix, long sequence) {
    return MESSAGE_ID_PREFIX.length + messageIdSuffix.length + SEQUENCE_PREFIX.length + CRLF.length
        + 2 * decimalDigits(sequence);
  }

  /** The fixed body: the two dot lines when they fit, then filler lines, {@code length} bytes of whole lines. */
  private static byte[] fixedBody(int length) {
    ByteArrayOutputStream body = new ByteArrayOutputStream(length);
    byte[] dotLines = ascii(DOT_LINE + "\r\n.\r\n");
    if (length >= dotLines.length + CRLF.length || length == dotLines.length) {
      body.writeBytes(dotLines);
    }
    int lineNumber = 0;
    while (body.size() < length) {
      int remaining = length - body.size();
      int lineLength = Math.min(FILLER_LINE + CRLF.length, remaining);
      if (remaining - lineLength == 1) {
        lineLength--; // never leave a single byte, which could not form a line
      }
      for (int i = 0; i < lineLength - CRLF.length; i++) {
        body.write(FILLER_ALPHABET[(lineNumber + i) % FILLER_ALPHABET.length]);
      }
      body.writeBytes(CRLF);
      lineNumber++;
    }
    return body.toByteArray();
  }

  private static int put(byte[] target, int at, byte[] bytes) {
    System.arraycopy(bytes, 0, target, at, bytes.length);
    return at + bytes.length;
  }

  private static int putDecimal(byte[] target, int at, long value) {
    int digits = decimalDigits(value);
    long rest = value;
    for (int i = at + digits - 1; i >= at; i--) {
      target[i] = (byte) ('0' + rest % 10);
      rest /= 10;
    }
    return at + digits;
  }

  private static int decimalDigits(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("sequence numbers are positive: " + value);
    }
    int digits = 1;
    for (long v = value; v >= 10; v /= 10) {
      digits++;
    }
    return digits;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
