package io.vireo.relay.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * An append-only file of JSON lines with group commit: callers hand a line and wait; one writer
 * thread writes every line waiting and fsyncs once for all of them, as the spool does, so 50
 * concurrent requests cost one fsync, not 50. Reopened, it is read line by line; a torn last line
 * (a crash mid-write) is skipped.
 */
final class AppendLog implements AutoCloseable {
  private record Pending(byte[] line, CompletableFuture<Void> done) {}

  private static final Pending STOP = new Pending(new byte[0], new CompletableFuture<>());

  private final Path file;
  private final FileChannel channel;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread writer;

  /**
   * Opens {@code file}, first rewriting it with only the lines {@code keep} returns (compaction of
   * expired entries) and handing each kept line to {@code load}.
   */
  AppendLog(Path file, java.util.function.Predicate<String> keep, Consumer<String> load)
      throws IOException {
    this.file = file;
    Files.createDirectories(file.toAbsolutePath().getParent());
    if (Files.exists(file)) {
      Path compacted = file.resolveSibling(file.getFileName() + ".compact");
      List<String> kept = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank() && keep.test(line)) {
          kept.add(line);
          load.accept(line);
        }
      }
      Files.write(compacted, kept);
      try (FileChannel sync = FileChannel.open(compacted, StandardOpenOption.WRITE)) {
        sync.force(true);
      }
      Files.move(compacted, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    this.channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    this.writer = Thread.ofPlatform().name("api-log-" + file.getFileName()).daemon().start(this::run);
  }

  /** Appends {@code line} (no line break in it) and returns once it is on disk. */
  void append(String line) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    queue.add(new Pending((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8), done));
    try {
      done.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw new UncheckedIOException("could not write " + file, new IOException(e.getCause()));
    }
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(batch);
      boolean stop = batch.remove(STOP);
      try {
        for (Pending pending : batch) {
          ByteBuffer buffer = ByteBuffer.wrap(pending.line());
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
        }
        channel.force(false);
        batch.forEach(pending -> pending.done().complete(null));
      } catch (IOException e) {
        batch.forEach(pending -> pending.done().completeExceptionally(e));
      }
      batch.clear();
      if (stop) {
        return;
      }
    }
  }

  @Override
  public void close() {
    queue.add(STOP);
    try {
      writer.join(5_000);
      channel.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
