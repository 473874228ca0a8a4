package io.vireo.mailbox.imap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vireo.mailbox.store.MailFolder;
import io.vireo.mailbox.store.MailMessage;

/**
 * What FETCH and SEARCH derive from a message's header and structure, kept between commands and
 * shared by every session of the process (as Dovecot keeps its index cache): the header with its
 * parsed fields (SEARCH on header keys), the rendered ENVELOPE and the rendered BODY /
 * BODYSTRUCTURE. A message file's content never changes,
 * so an entry is keyed by the folder, the UID and the file's base name and is never stale; entries
 * of expunged messages are simply evicted. Bounded by the octets it holds.
 */
final class FetchCache {
  /** The default bound: about 10,000 messages' headers and envelopes in a few tens of MiB. */
  static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

  enum Kind {
    ENVELOPE,
    BODY,
    BODYSTRUCTURE
  }

  private record Key(MailFolder folder, long uid, String baseName, Kind kind) {}

  private record HeaderKey(MailFolder folder, long uid, String baseName) {}

  private final Cache<Key, byte[]> entries;
  private final Cache<HeaderKey, HeaderFields> headers;

  /** @param maxBytes the bound of each of its two parts (rendered responses, headers) */
  FetchCache(long maxBytes) {
    // A key costs about 100 octets besides its value.
    this.entries =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((Key key, byte[] value) -> value.length + 100)
            .build();
    // Parsed fields (mime4j's objects, strings) take about three times the raw octets.
    this.headers =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((HeaderKey key, HeaderFields value) -> 4 * value.raw().length + 100)
            .build();
  }

  HeaderFields header(MailFolder folder, MailMessage message) {
    return headers.getIfPresent(new HeaderKey(folder, message.uid(), message.baseName()));
  }

  void putHeader(MailFolder folder, MailMessage message, HeaderFields header) {
    headers.put(new HeaderKey(folder, message.uid(), message.baseName()), header);
  }

  byte[] get(MailFolder folder, MailMessage message, Kind kind) {
    return entries.getIfPresent(new Key(folder, message.uid(), message.baseName(), kind));
  }

  void put(MailFolder folder, MailMessage message, Kind kind, byte[] value) {
    entries.put(new Key(folder, message.uid(), message.baseName(), kind), value);
  }
}
