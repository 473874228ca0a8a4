package io.vireo.mailbox.imap;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.message.DefaultBodyDescriptorBuilder;
import org.apache.james.mime4j.message.MaximalBodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;
import org.apache.james.mime4j.util.ByteSequence;

/**
 * Builds the {@link MimePart} tree of a message with Apache mime4j's pull parser. Parts of
 * message/rfc822 parts are parsed from their body octets, which are kept in memory up to {@link
 * #MAX_EMBEDDED}; leaf bodies are kept only when {@code keepBodies} (for body sections), otherwise
 * just counted, so BODYSTRUCTURE of a large attachment costs a pass over it, not its size in heap.
 */
final class MimeParser {
  /** Nested messages larger than this are reported as opaque message/rfc822 bodies. */
  static final int MAX_EMBEDDED = 16 * 1024 * 1024;

  private static final int MAX_DEPTH = 20;

  /** mime4j's permissive limits, but bounded header size: a message is data from strangers. */
  private static final MimeConfig CONFIG =
      MimeConfig.custom()
          .setMaxLineLen(-1)
          .setMaxHeaderLen(-1)
          .setMaxHeaderCount(10_000)
          .setMaxContentLen(-1)
          .setStrictParsing(false)
          .build();

  private MimeParser() {}

  static MimePart parse(InputStream message, boolean keepBodies) throws IOException {
    return parse(message, keepBodies, 0);
  }

  private static MimePart parse(InputStream message, boolean keepBodies, int depth) throws IOException {
    MimeTokenStream stream =
        new MimeTokenStream(CONFIG, DecodeMonitor.SILENT, new DefaultBodyDescriptorBuilder());
    stream.setRecursionMode(RecursionMode.M_NO_RECURSE);
    stream.parse(message);
    Deque<Builder> open = new ArrayDeque<>();
    try {
      for (EntityState state = stream.getState();
          state != EntityState.T_END_OF_STREAM;
          state = stream.next()) {
        switch (state) {
          case T_START_MESSAGE, T_START_BODYPART -> {
            open.push(new Builder());
          }
          case T_FIELD -> {
            ByteSequence raw = stream.getField().getRaw();
            open.peek().header.write(raw.toByteArray());
            open.peek().header.write('\r');
            open.peek().header.write('\n');
          }
          case T_END_HEADER -> {
            open.peek().header.write('\r');
            open.peek().header.write('\n');
          }
          case T_START_MULTIPART ->
              open.peek().descriptor = (MaximalBodyDescriptor) stream.getBodyDescriptor();
          case T_BODY -> {
            open.peek().descriptor = (MaximalBodyDescriptor) stream.getBodyDescriptor();
            body(open.peek(), stream.getInputStream(), keepBodies, depth);
          }
          case T_END_MESSAGE, T_END_BODYPART -> {
            Builder done = open.pop();
            if (!open.isEmpty()) {
              open.peek().built.add(done.build());
            } else {
              return done.build();
            }
          }
          default -> {}
        }
      }
    } catch (MimeException e) {
      // Permissive parsing rarely gives up; what was read so far is the structure.
    }
    while (open.size() > 1) {
      Builder done = open.pop();
      open.peek().built.add(done.build());
    }
    return open.isEmpty() ? new Builder().build() : open.pop().build();
  }

  private static void body(Builder entity, InputStream body, boolean keep, int depth) throws IOException {
    boolean rfc822 =
        entity.descriptor != null
            && entity.descriptor.getMimeType().equalsIgnoreCase("message/rfc822")
            && depth < MAX_DEPTH;
    ByteArrayOutputStream kept = keep || rfc822 ? new ByteArrayOutputStream() : null;
    byte[] buffer = new byte[8192];
    long size = 0;
    long newlines = 0;
    int last = -1;
    int n;
    while ((n = body.read(buffer)) > 0) {
      for (int i = 0; i < n; i++) {
        if (buffer[i] == '\n') {
          newlines++;
        }
      }
      last = buffer[n - 1];
      size += n;
      if (kept != null) {
        if (size > MAX_EMBEDDED && !keep) {
          kept = null;
          rfc822 = false;
        } else {
          kept.write(buffer, 0, n);
        }
      }
    }
    entity.size = size;
    entity.lines = size == 0 ? 0 : newlines + (last == '\n' ? 0 : 1);
    entity.body = kept == null || !keep ? new byte[0] : kept.toByteArray();
    if (rfc822 && kept != null) {
      entity.message = parse(new ByteArrayInputStream(kept.toByteArray()), keep, depth + 1);
    }
  }

  /** An entity while its events arrive. */
  private static final class Builder {
    final ByteArrayOutputStream header = new ByteArrayOutputStream();
    final List<MimePart> built = new ArrayList<>();
    MaximalBodyDescriptor descriptor;
    byte[] body = new byte[0];
    long size;
    long lines;
    MimePart message;

    MimePart build() {
      MaximalBodyDescriptor d = descriptor;
      String type = d == null ? "text" : d.getMediaType();
      String subtype = d == null ? "plain" : d.getSubType();
      Map<String, String> parameters = d == null ? Map.of("charset", "us-ascii") : d.getContentTypeParameters();
      if (built.isEmpty() && type.equalsIgnoreCase("multipart")) {
        // A multipart without parts (no boundary found): report it as the text it effectively is.
        type = "text";
        subtype = "plain";
      }
      return new MimePart(
          header.toByteArray(),
          type,
          subtype,
          parameters == null ? Map.of() : parameters,
          d == null ? null : d.getContentId(),
          d == null ? null : d.getContentDescription(),
          d == null || d.getTransferEncoding() == null ? "7bit" : d.getTransferEncoding(),
          d == null ? null : d.getContentMD5Raw(),
          d == null ? null : d.getContentDispositionType(),
          d == null || d.getContentDispositionParameters() == null ? Map.of() : d.getContentDispositionParameters(),
          d == null || d.getContentLanguage() == null ? List.of() : d.getContentLanguage(),
          d == null ? null : d.getContentLocation(),
          body,
          size,
          lines,
          List.copyOf(built),
          message);
    }
  }
}
