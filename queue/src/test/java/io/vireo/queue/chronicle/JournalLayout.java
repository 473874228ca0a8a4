package io.vireo.queue.chronicle;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.RollCycles;

/** Where each record of a stopped spool's journal sits, so fault tests damage exactly one. */
final class JournalLayout {
  /** One data document: its header's file offset, its payload length and first payload byte. */
  record Record(Path file, long position, int length, char type, String messageId) {
    long payload() {
      return position + Integer.BYTES;
    }

    long end() {
      return payload() + length;
    }
  }

  private JournalLayout() {}

  static List<Record> records(Path journalDirectory) {
    List<Record> records = new ArrayList<>();
    JournalFiles files = JournalFiles.list(journalDirectory, RollCycles.FAST_HOURLY);
    for (JournalFiles.CycleFile file : files.cycles()) {
      try (FileWindow window = new FileWindow(file.path())) {
        CycleFileWalker.walk(
            window,
            new CycleFileWalker.Visitor() {
              @Override
              public void record(long position, long sequence, Bytes<?> payload) {
                long start = payload.readPosition();
                char type = (char) payload.readByte(start);
                payload.readSkip(2);
                String id = BinaryFields.readString(type == 'E' ? skipKind(payload) : payload);
                records.add(
                    new Record(
                        file.path(), position, (int) (payload.readLimit() - start), type, id));
              }

              @Override
              public boolean decodes(Bytes<?> payload) {
                return false;
              }

              @Override
              public void damaged(long from, long to, String what) {
                throw new AssertionError("the journal is damaged already: " + what);
              }
            });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return records;
  }

  private static Bytes<?> skipKind(Bytes<?> payload) {
    payload.readSkip(1);
    return payload;
  }

  /** The end of the last record: where an intact journal's data stops. */
  static long dataEnd(Path journalDirectory) {
    List<Record> all = records(journalDirectory);
    return all.getLast().end();
  }

  static void overwrite(Path file, long position, byte[] bytes) {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(position);
      raf.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void flip(Path file, long position, int count) {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      byte[] bytes = new byte[count];
      raf.seek(position);
      raf.readFully(bytes);
      for (int i = 0; i < count; i++) {
        bytes[i] = (byte) ~bytes[i];
      }
      raf.seek(position);
      raf.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void truncate(Path file, long size) {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
