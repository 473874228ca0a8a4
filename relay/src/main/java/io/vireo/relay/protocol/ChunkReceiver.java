package io.vireo.relay.protocol;

import java.io.IOException;

/**
 * Receives the content of one message sent as BDAT chunks (RFC 3030). Chunks are exact octet
 * counts, so no terminator is searched for and nothing is unstuffed. Unless the body is BINARYMIME
 * (which this server does not offer), the content must still be CRLF text (RFC 3030 section 3):
 * bare CR or LF and lines over 1000 octets are refused exactly as with DATA, so a message accepted
 * here can later be relayed with DATA without changing where it ends. State carries across chunks;
 * a CR at the end of one chunk may be completed by the LF starting the next.
 *
 * <p>One instance receives one message.
 */
public final class ChunkReceiver {
  private static final int MAX_LINE_CONTENT = DataReader.MAX_TEXT_LINE - 2;
  private static final byte[] CRLF = {'\r', '\n'};

  private final ContentSink sink;
  private final long maxSize;
  private long size;
  private int lineLength;
  private boolean pendingCr;
  private SmtpReply failure;

  public ChunkReceiver(ContentSink sink, long maxSize) {
    this.sink = sink;
    this.maxSize = maxSize;
  }

  /**
   * Reads exactly {@code chunkSize} octets. Once the message has failed, later chunks are still
   * read, and dropped, and each one answered with the same failure.
   */
  public ContentOutcome receive(SmtpInput input, long chunkSize) throws IOException {
    long remaining = chunkSize;
    while (remaining > 0) {
      if (input.position == input.limit && !input.fill()) {
        return new ContentOutcome.Disconnected();
      }
      int start = input.position;
      int end = (int) Math.min(input.limit, start + remaining);
      if (failure == null) {
        check(input.buffer, start, end);
        if (failure == null) {
          sink.write(input.buffer, start, end - start);
        }
      }
      input.position = end;
      remaining -= end - start;
    }
    return failure == null
        ? new ContentOutcome.Received(size)
        : new ContentOutcome.Rejected(failure);
  }

  /**
   * Ends the message after {@code BDAT ... LAST}. A last line without CRLF is completed with one,
   * so the spool only ever holds whole lines.
   */
  public ContentOutcome finish() {
    if (failure == null && pendingCr) {
      failure = Replies.BARE_LINE_ENDING;
    }
    if (failure != null) {
      return new ContentOutcome.Rejected(failure);
    }
    if (lineLength > 0) {
      if (size + 2 > maxSize) {
        return new ContentOutcome.Rejected(Replies.MESSAGE_TOO_BIG);
      }
      sink.write(CRLF, 0, 2);
      size += 2;
      lineLength = 0;
    }
    return new ContentOutcome.Received(size);
  }

  /** Octets accepted so far. */
  public long size() {
    return size;
  }

  private void check(byte[] bytes, int start, int end) {
    for (int i = start; i < end; i++) {
      byte b = bytes[i];
      if (pendingCr) {
        pendingCr = false;
        if (b != '\n') {
          failure = Replies.BARE_LINE_ENDING;
          return;
        }
        lineLength = 0;
      } else if (b == '\r') {
        pendingCr = true;
      } else if (b == '\n') {
        failure = Replies.BARE_LINE_ENDING;
        return;
      } else if (++lineLength > MAX_LINE_CONTENT) {
        failure = Replies.TEXT_LINE_TOO_LONG;
        return;
      }
    }
    size += end - start;
    if (size > maxSize) {
      failure = Replies.MESSAGE_TOO_BIG;
    }
  }
}
