package io.vireo.queue.chronicle;

import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.SpoolEvent;
import java.util.concurrent.CompletableFuture;

/** Work handed to the journal writer thread; the caller blocks on {@link #done()}. */
sealed interface WriteRequest {
  CompletableFuture<Void> done();

  /** Append a message (CRC computed by the caller, off the writer thread). */
  record Store(Envelope envelope, MessageContent content, int crc, CompletableFuture<Void> done)
      implements WriteRequest {}

  /** Append a delivery event. */
  record Record(SpoolEvent event, CompletableFuture<Void> done) implements WriteRequest {}

  /** Completes once everything submitted before it is appended (not synced). */
  record Barrier(CompletableFuture<Void> done) implements WriteRequest {}

  /** Run a retention pass now. */
  record Maintain(CompletableFuture<Void> done) implements WriteRequest {}

  /** Finish what came before, then stop the writer. */
  record Stop(CompletableFuture<Void> done) implements WriteRequest {}
}
