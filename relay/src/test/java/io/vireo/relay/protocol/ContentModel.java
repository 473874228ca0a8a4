package io.vireo.relay.protocol;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What RFC 5321 says DATA content should become, computed the slow and obvious way for the fuzz
 * tests to compare the streaming readers against.
 *
 * @param end index of the dot of the end-of-data line, or -1 when the input has none
 * @param unstuffed the content before that line with each line's leading transparency dot removed
 *     (section 4.5.2); for input without an end, the unstuffing of all of it
 * @param problems the replies the content deserves (bare CR or LF, a line over 998 octets, more than
 *     the limit); empty for a message that must be accepted
 */
record ContentModel(int end, byte[] unstuffed, Set<Problem> problemKinds) {

  enum Problem {
    BARE_LINE_ENDING,
    LINE_TOO_LONG,
    NUL,
    TOO_BIG
  }

  static final int MAX_LINE_CONTENT = 998;

  static ContentModel of(byte[] input, long maxSize) {
    int end = endOfData(input);
    int contentEnd = end < 0 ? input.length : end;
    Set<Problem> problems = EnumSet.noneOf(Problem.class);
    long size = 0;
    for (byte[] line : lines(input, contentEnd)) {
      int from = line.length > 0 && line[0] == '.' ? 1 : 0;
      int octets = 0;
      for (int i = from; i < line.length; i++) {
        if (line[i] == '\r' || line[i] == '\n') {
          problems.add(Problem.BARE_LINE_ENDING);
        } else if (line[i] == 0) {
          problems.add(Problem.NUL);
          octets++;
        } else {
          octets++;
        }
      }
      if (octets > MAX_LINE_CONTENT) {
        problems.add(Problem.LINE_TOO_LONG);
      }
      size += octets;
    }
    size += 2L * countLineEnds(input, contentEnd);
    if (size > maxSize) {
      problems.add(Problem.TOO_BIG);
    }
    return new ContentModel(end, rejoin(input, contentEnd), problems);
  }

  /** The replies a reader may give for this content: one per problem kind. */
  List<SmtpReply> problems() {
    List<SmtpReply> replies = new ArrayList<>();
    for (Problem p : problemKinds) {
      replies.add(
          switch (p) {
            case BARE_LINE_ENDING -> Replies.CONTENT_BARE_LINE_ENDING;
            case LINE_TOO_LONG -> Replies.CONTENT_LINE_TOO_LONG;
            case NUL -> Replies.CONTENT_NUL;
            case TOO_BIG -> Replies.MESSAGE_TOO_BIG;
          });
    }
    return replies;
  }

  /**
   * The first {@code .CRLF} at the very start or right after a CRLF: every CR directly followed by
   * LF ends a line, whatever came before it.
   */
  static int endOfData(byte[] input) {
    for (int i = 0; i + 2 < input.length; i++) {
      boolean lineStart = i == 0 || (i >= 2 && input[i - 2] == '\r' && input[i - 1] == '\n');
      if (lineStart && input[i] == '.' && input[i + 1] == '\r' && input[i + 2] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** The lines of {@code input[0, end)}, split at CRLF pairs, without the CRLFs. */
  private static List<byte[]> lines(byte[] input, int end) {
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < end; i++) {
      if (input[i] == '\r' && i + 1 < end && input[i + 1] == '\n') {
        lines.add(java.util.Arrays.copyOfRange(input, start, i));
        start = i + 2;
        i++;
      }
    }
    if (start < end) {
      lines.add(java.util.Arrays.copyOfRange(input, start, end));
    }
    return lines;
  }

  private static int countLineEnds(byte[] input, int end) {
    int count = 0;
    for (int i = 0; i + 1 < end; i++) {
      if (input[i] == '\r' && input[i + 1] == '\n') {
        count++;
        i++;
      }
    }
    return count;
  }

  /** The lines again, each without its leading dot, joined by the CRLFs that ended them. */
  private static byte[] rejoin(byte[] input, int end) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(end);
    int start = 0;
    for (int i = 0; i <= end; i++) {
      boolean lineEnd = i + 1 < end && input[i] == '\r' && input[i + 1] == '\n';
      if (lineEnd || i == end) {
        int from = start < i && input[start] == '.' ? start + 1 : start;
        out.write(input, from, i - from);
        if (lineEnd) {
          out.write('\r');
          out.write('\n');
          start = i + 2;
          i++;
        }
      }
    }
    return out.toByteArray();
  }

  static boolean startsWith(byte[] whole, byte[] prefix) {
    if (prefix.length > whole.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (whole[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
