package io.vireo.queue.chronicle;

import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.SpoolEvent;
import io.vireo.queue.SpoolException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Appends the spool's records to the two journals. Owns the Chronicle appenders, which are
 * single-threaded: only the journal writer thread may call it.
 */
final class RecordWriter implements AutoCloseable {
  /**
   * Content up to this size travels inside the MESSAGE record: one journal entry per small message.
   */
  static final int INLINE_LIMIT = MessageContent.MAX_CHUNK;

  private static final int COPY_BUFFER = 64 * 1024;

  private final Journals journals;
  private final JournalSync messagesSync;
  private final JournalSync eventsSync;
  private final SpoolDirectory directory;
  private boolean eventsMarked;
  private final byte[] copyBuffer = new byte[COPY_BUFFER];

  /** Envelopes and events are encoded and checksummed here, then copied into the journal. */
  private final Bytes<?> scratch = Bytes.allocateElasticOnHeap(4096);
  private ExcerptAppender messagesAppender;
  private ExcerptAppender eventsAppender;
  private int lastMessagesCycle = Integer.MIN_VALUE;
  private int lastEventsCycle = Integer.MIN_VALUE;

  RecordWriter(Journals journals, SpoolDirectory directory) {
    this.journals = journals;
    this.messagesSync = new JournalSync(directory.messages());
    this.eventsSync = new JournalSync(directory.events());
    this.directory = directory;
    this.eventsMarked = java.nio.file.Files.exists(directory.eventsMarker());
  }

  /**
   * Appends a message: its content in CHUNK records unless small, then the MESSAGE record, which is
   * the commit point. A failure leaves at most some orphan chunks, which readers ignore.
   */
  JournalPosition appendMessage(
      Envelope envelope,
      List<RecipientStatus> snapshot,
      long eventsAfter,
      MessageContent content,
      int crc)
      throws IOException {
    long envelopeBytes = MessageCodec.encodedSizeBound(envelope, snapshot);
    if (envelopeBytes > MessageCodec.MAX_ENVELOPE_BYTES) {
      throw new SpoolException(
          "the envelope of message "
              + envelope.id()
              + " is too large to journal (up to "
              + envelopeBytes
              + " bytes; the limit is "
              + MessageCodec.MAX_ENVELOPE_BYTES
              + ")");
    }
    ExcerptAppender appender = messagesAppender();
    long size = content.size();
    if (size <= INLINE_LIMIT) {
      try (DocumentContext dc = appender.writingDocument()) {
        try {
          Bytes<?> out = dc.wire().bytes();
          out.write(
              encodeMessage(envelope, snapshot, eventsAfter, size, crc, ChronicleIndexes.NONE, 0));
          new ContentCursor(content).copyTo(out, size);
        } catch (RuntimeException | Error e) {
          dc.rollbackOnClose();
          throw e;
        }
      }
      long index = appended(appender, messagesSync);
      return new JournalPosition(index, ChronicleIndexes.NONE, 0);
    }
    ContentCursor source = new ContentCursor(content);
    long remaining = size;
    long firstChunkIndex = ChronicleIndexes.NONE;
    int sequence = 0;
    while (remaining > 0) {
      int length = (int) Math.min(MessageContent.MAX_CHUNK, remaining);
      try (DocumentContext dc = appender.writingDocument()) {
        try {
          Bytes<?> out = dc.wire().bytes();
          MessageCodec.writeChunkHeader(out, envelope.id(), sequence, length);
          source.copyTo(out, length);
        } catch (RuntimeException | Error e) {
          dc.rollbackOnClose();
          throw e;
        }
      }
      long index = appended(appender, messagesSync);
      if (sequence == 0) {
        firstChunkIndex = index;
      }
      sequence++;
      remaining -= length;
    }
    try (DocumentContext dc = appender.writingDocument()) {
      try {
        dc.wire()
            .bytes()
            .write(
                encodeMessage(
                    envelope, snapshot, eventsAfter, size, crc, firstChunkIndex, sequence));
      } catch (RuntimeException | Error e) {
        dc.rollbackOnClose();
        throw e;
      }
    }
    long index = appended(appender, messagesSync);
    return new JournalPosition(index, firstChunkIndex, sequence);
  }

  /** Appends an event; returns its events-journal index. */
  long appendEvent(SpoolEvent event) throws IOException {
    if (!eventsMarked) {
      directory.markEventsStarted();
      eventsMarked = true;
    }
    ExcerptAppender appender = eventsAppender();
    try (DocumentContext dc = appender.writingDocument()) {
      try {
        scratch.clear();
        EventCodec.write(scratch, event);
        dc.wire().bytes().write(scratch);
      } catch (RuntimeException | Error e) {
        dc.rollbackOnClose();
        throw e;
      }
    }
    return appended(appender, eventsSync);
  }

  private Bytes<?> encodeMessage(
      Envelope envelope,
      List<RecipientStatus> snapshot,
      long eventsAfter,
      long size,
      int crc,
      long firstChunkIndex,
      int chunkCount) {
    scratch.clear();
    MessageCodec.writeMessage(
        scratch, envelope, snapshot, eventsAfter, size, crc, firstChunkIndex, chunkCount);
    return scratch;
  }

  boolean messagesDirty() {
    return messagesSync.isDirty();
  }

  boolean eventsDirty() {
    return eventsSync.isDirty();
  }

  void syncMessages() throws IOException {
    messagesSync.sync();
  }

  void syncEvents() throws IOException {
    eventsSync.sync();
  }

  /** The cycle of the last message record appended, or {@link Integer#MIN_VALUE} if none yet. */
  int lastMessagesCycle() {
    return lastMessagesCycle;
  }

  int lastEventsCycle() {
    return lastEventsCycle;
  }

  /**
   * Drops the appenders after a failed append so the next write starts from a fresh one; unsynced
   * records already appended stay tracked for the next sync.
   */
  void resetAppenders() {
    closeAppenders();
  }

  /** Lets go of rolled-over files without syncing them; for durability NONE, which never syncs. */
  void releaseRolledFiles() {
    messagesSync.releaseRetired();
    eventsSync.releaseRetired();
  }

  /** Forgets the files to sync after a failed sync; the requests they served were failed. */
  void resetSync() {
    messagesSync.reset();
    eventsSync.reset();
  }

  @Override
  public void close() {
    closeAppenders();
    scratch.releaseLast();
    messagesSync.close();
    eventsSync.close();
  }

  private long appended(ExcerptAppender appender, JournalSync sync) throws IOException {
    sync.appended(appender);
    long index = appender.lastIndexAppended();
    int cycle = journals.cycleOf(index);
    if (appender == messagesAppender) {
      lastMessagesCycle = cycle;
    } else {
      lastEventsCycle = cycle;
    }
    return index;
  }

  /** Walks a message's content buffers, copying a given number of bytes at a time into records. */
  private final class ContentCursor {
    private final Iterator<ByteBuffer> buffers;
    private ByteBuffer current;

    ContentCursor(MessageContent content) {
      this.buffers = content.chunks().iterator();
    }

    void copyTo(Bytes<?> out, long length) {
      long left = length;
      while (left > 0) {
        if (current == null || !current.hasRemaining()) {
          current = buffers.next();
          continue;
        }
        // The content's buffers are read-only views, which Chronicle cannot copy from directly.
        int n = (int) Math.min(Math.min(left, current.remaining()), copyBuffer.length);
        current.get(copyBuffer, 0, n);
        out.write(copyBuffer, 0, n);
        left -= n;
      }
    }
  }

  private ExcerptAppender messagesAppender() {
    if (messagesAppender == null) {
      messagesAppender = journals.messages().createAppender();
    }
    return messagesAppender;
  }

  private ExcerptAppender eventsAppender() {
    if (eventsAppender == null) {
      eventsAppender = journals.events().createAppender();
    }
    return eventsAppender;
  }

  private void closeAppenders() {
    if (messagesAppender != null) {
      messagesAppender.close();
      messagesAppender = null;
    }
    if (eventsAppender != null) {
      eventsAppender.close();
      eventsAppender = null;
    }
  }
}
