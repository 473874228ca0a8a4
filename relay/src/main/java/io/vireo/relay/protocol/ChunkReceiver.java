package io.vireo.relay.protocol;

import java.io.IOException;

/**
 * Receives the content of one message sent as BDAT chunks (RFC 3030). Chunks are exact octet
 * counts, so no terminator is searched for and nothing is unstuffed. Unless the body is BINARYMIME
 * (which this server does not offer), the content must still be CRLF text (RFC 3030 section 3):
 * bare CR or LF and lines over 1000 octets are refused exactly as with DATA, so a message accepted
 * here can later be relayed with DATA without changing where it ends. NUL octets fail the message
 * or are dropped, as {@link NulOctets} says. Content errors get 554 5.6.0, a transaction failure
 * (RFC 3030 section 2 leaves the code to the server), not a syntax error. State carries across
 * chunks; a CR at the end of one chunk may be completed by the LF starting the next.
 *
 * <p>One instance receives one message.
 */
public final class ChunkReceiver {
  private static final int MAX_LINE_CONTENT = DataReader.MAX_TEXT_LINE - 2;
  private static final byte[] CRLF = {'\r', '\n'};

  private final ContentSink sink;
  private final long maxSize;
  private final NulOctets nul;
  private long size;
  private int lineLength;
  private boolean pendingCr;
  private SmtpReply failure;

  public ChunkReceiver(ContentSink sink, long maxSize, NulOctets nul) {
    this.sink = sink;
    this.maxSize = maxSize;
    this.nul = nul;
  }

  /** A receiver that refuses NUL octets. */
  public ChunkReceiver(ContentSink sink, long maxSize) {
    this(sink, maxSize, NulOctets.REJECT);
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
        accept(input.buffer, start, end);
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
      failure = Replies.CONTENT_BARE_LINE_ENDING;
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

  /**
   * Checks octets and passes them to the sink, in runs between dropped NULs. What reached the sink
   * before a failure does not matter: a failed message is never stored.
   */
  private void accept(byte[] bytes, int start, int end) {
    int run = start;
    for (int i = start; i < end; i++) {
      byte b = bytes[i];
      if (pendingCr) {
        pendingCr = false;
        if (b != '\n') {
          failure = Replies.CONTENT_BARE_LINE_ENDING;
          return;
        }
        lineLength = 0;
      } else if (b == '\r') {
        pendingCr = true;
      } else if (b == '\n') {
        failure = Replies.CONTENT_BARE_LINE_ENDING;
        return;
      } else if (b == 0) {
        if (nul == NulOctets.REJECT) {
          failure = Replies.CONTENT_NUL;
          return;
        }
        if (!write(bytes, run, i)) {
          return;
        }
        run = i + 1;
      } else if (++lineLength > MAX_LINE_CONTENT) {
        failure = Replies.CONTENT_LINE_TOO_LONG;
        return;
      }
    }
    write(bytes, run, end);
  }

  /** Writes one run unless it takes the message over the size limit. */
  private boolean write(byte[] bytes, int from, int to) {
    size += to - from;
    if (size > maxSize) {
      failure = Replies.MESSAGE_TOO_BIG;
      return false;
    }
    if (to > from) {
      sink.write(bytes, from, to - from);
    }
    return true;
  }
}
