package io.vireo.relay.protocol;

/** Where received message content goes, e.g. a {@code MessageContent.Builder}. */
@FunctionalInterface
public interface ContentSink {
  void write(byte[] bytes, int offset, int length);
}
