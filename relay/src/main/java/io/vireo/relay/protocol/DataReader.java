package io.vireo.relay.protocol;

import java.io.IOException;

/**
 * Reads the content that follows DATA (RFC 5321 section 4.1.1.4) up to the end-of-data line,
 * removes the transparency dots (section 4.5.2) and checks the message as it streams into a {@link
 * ContentSink}.
 *
 * <p>Only {@code <CRLF>.<CRLF>} ends the content. A bare CR or LF anywhere is refused (section
 * 2.3.8), and a bare LF never counts as a line end, so {@code <LF>.<LF>}, {@code <CR>.<CR><LF>},
 * {@code <LF>.<CR><LF>} and {@code <CRLF>.<LF>} neither end the content nor start a new command:
 * this server and any later hop agree on where the message ends, which closes "SMTP smuggling". A
 * refused message is still read to its real end, so the reply lines up with the client.
 *
 * <p>A NUL octet fails the message or is dropped, as {@link NulOctets} says; a dropped NUL does not
 * make the line start again, so {@code <CRLF><NUL>.<CRLF>} is content, not an end of data. Content
 * errors get 554 5.6.0, a transaction failure, not a command syntax error.
 *
 * <p>One instance reads one message.
 */
public final class DataReader {
  /** RFC 5321 section 4.5.3.1.6: 1000 octets including CRLF, not counting a transparency dot. */
  public static final int MAX_TEXT_LINE = 1000;

  private static final int MAX_LINE_CONTENT = MAX_TEXT_LINE - 2;
  private static final int STAGE_SIZE = 4096;

  private enum State {
    /** After a CRLF (or at the start): a dot here is special. */
    LINE_START,
    /** After a dot at the start of a line. */
    DOT,
    /** After {@code .<CR>} at the start of a line. */
    DOT_CR,
    IN_LINE,
    /** After a CR inside a line. */
    CR
  }

  private final ContentSink sink;
  private final long maxSize;
  private final NulOctets nul;
  private final byte[] stage = new byte[STAGE_SIZE];
  private int staged;
  private long size;
  private int lineLength;
  private SmtpReply failure;

  /**
   * @param sink receives the unstuffed content, CRLF line ends included, up to the first failure
   * @param maxSize octets allowed; more makes the message fail with 552 5.3.4
   */
  public DataReader(ContentSink sink, long maxSize, NulOctets nul) {
    this.sink = sink;
    this.maxSize = maxSize;
    this.nul = nul;
  }

  /** A reader that refuses NUL octets. */
  public DataReader(ContentSink sink, long maxSize) {
    this(sink, maxSize, NulOctets.REJECT);
  }

  /** Reads up to and including the end-of-data line. */
  public ContentOutcome read(SmtpInput input) throws IOException {
    State state = State.LINE_START;
    while (true) {
      if (input.position == input.limit && !input.fill()) {
        return new ContentOutcome.Disconnected();
      }
      if (state == State.IN_LINE && copyLineRun(input)) {
        continue;
      }
      byte b = input.buffer[input.position++];
      switch (state) {
        case LINE_START -> state = b == '.' ? State.DOT : inLine(b);
        case DOT -> {
          if (b == '\r') {
            state = State.DOT_CR;
          } else {
            // Transparency (section 4.5.2): the leading dot of any other line is dropped.
            state = inLine(b);
          }
        }
        case DOT_CR -> {
          if (b == '\n') {
            return finish();
          }
          fail(Replies.CONTENT_BARE_LINE_ENDING);
          state = inLine(b);
        }
        case IN_LINE -> state = inLine(b);
        case CR -> {
          if (b == '\n') {
            endLine();
            state = State.LINE_START;
          } else {
            fail(Replies.CONTENT_BARE_LINE_ENDING);
            state = inLine(b);
          }
        }
      }
    }
  }

  private State inLine(byte b) {
    if (b == '\r') {
      return State.CR;
    }
    if (b == '\n') {
      fail(Replies.CONTENT_BARE_LINE_ENDING);
      return State.IN_LINE;
    }
    if (b == 0) {
      if (nul == NulOctets.REJECT) {
        fail(Replies.CONTENT_NUL);
      }
      return State.IN_LINE;
    }
    if (failure == null) {
      if (++lineLength > MAX_LINE_CONTENT) {
        fail(Replies.CONTENT_LINE_TOO_LONG);
      } else if (++size > maxSize) {
        fail(Replies.MESSAGE_TOO_BIG);
      } else {
        stage(b);
      }
    }
    return State.IN_LINE;
  }

  /**
   * Fast path for the middle of a line, where almost every octet is: copies the run of octets up to
   * the next CR, LF or NUL in one go instead of one by one. Declines (returns false) when there is
   * no such run or when the run would cross a limit, so the octet-by-octet path reports the failure
   * at the same octet.
   */
  private boolean copyLineRun(SmtpInput input) {
    if (failure != null) {
      return false;
    }
    byte[] buffer = input.buffer;
    int start = input.position;
    int end = input.limit;
    int i = start;
    while (i < end && buffer[i] != '\r' && buffer[i] != '\n' && buffer[i] != 0) {
      i++;
    }
    int run = i - start;
    if (run == 0 || lineLength + run > MAX_LINE_CONTENT || size + run > maxSize) {
      return false;
    }
    lineLength += run;
    size += run;
    stage(buffer, start, run);
    input.position = i;
    return true;
  }

  private void endLine() {
    lineLength = 0;
    if (failure == null) {
      size += 2;
      if (size > maxSize) {
        fail(Replies.MESSAGE_TOO_BIG);
      } else {
        stage((byte) '\r');
        stage((byte) '\n');
      }
    }
  }

  private void stage(byte[] bytes, int offset, int length) {
    if (length > stage.length - staged) {
      if (staged > 0) {
        sink.write(stage, 0, staged);
        staged = 0;
      }
      if (length > stage.length) {
        sink.write(bytes, offset, length);
        return;
      }
    }
    System.arraycopy(bytes, offset, stage, staged, length);
    staged += length;
  }

  private void stage(byte b) {
    if (staged == stage.length) {
      sink.write(stage, 0, staged);
      staged = 0;
    }
    stage[staged++] = b;
  }

  /** The first failure wins; later content is only scanned for the end-of-data line. */
  private void fail(SmtpReply reply) {
    if (failure == null) {
      failure = reply;
    }
  }

  private ContentOutcome finish() {
    if (failure != null) {
      return new ContentOutcome.Rejected(failure);
    }
    if (staged > 0) {
      sink.write(stage, 0, staged);
      staged = 0;
    }
    return new ContentOutcome.Received(size);
  }
}
