package io.vireo.mailbox.imap;

import io.vireo.mailbox.store.MailFolder;
import io.vireo.mailbox.store.MailMessage;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;

/**
 * Decides whether a message matches a {@link SearchKey} (RFC 9051 section 6.4.4). Flags, sizes,
 * dates and numbers cost nothing; header keys read the header once (encoded words decoded, matched
 * case-insensitively as substrings); BODY and TEXT read the message's octets (not decoded from
 * base64 or quoted-printable), matched as raw octets with ASCII case folding when the string is
 * US-ASCII, else as UTF-8 text lower-cased.
 */
final class SearchEvaluator {
  /** Bodies longer than this are searched only this far. */
  private static final int MAX_BODY = 8 * 1024 * 1024;

  private final MailFolder folder;
  private final long largestSequence;
  private final long largestUid;
  private final FetchCache cache;

  SearchEvaluator(MailFolder folder, long largestSequence, long largestUid, FetchCache cache) {
    this.folder = folder;
    this.largestSequence = largestSequence;
    this.largestUid = largestUid;
    this.cache = cache;
  }

  boolean matches(SearchKey key, long sequence, MailMessage message) throws IOException {
    return matches(key, sequence, new MessageContent(folder, message, cache));
  }

  private boolean matches(SearchKey key, long sequence, MessageContent m) throws IOException {
    MailMessage message = m.message();
    return switch (key) {
      case SearchKey.All a -> true;
      case SearchKey.HasFlag f -> message.has(f.flag()) == f.set();
      case SearchKey.Recent r -> !r.set();
      case SearchKey.Keyword k -> !k.set();
      case SearchKey.Size s -> s.larger() ? message.size() > s.octets() : message.size() < s.octets();
      case SearchKey.ModSeq ms -> message.modSeq() >= ms.modSeq();
      case SearchKey.Uids u -> u.set().contains(message.uid(), largestUid);
      case SearchKey.Sequence s -> s.set().contains(sequence, largestSequence);
      case SearchKey.Not n -> !matches(n.key(), sequence, m);
      case SearchKey.Or o -> matches(o.left(), sequence, m) || matches(o.right(), sequence, m);
      case SearchKey.And and -> {
        for (SearchKey each : and.keys()) {
          if (!matches(each, sequence, m)) {
            yield false;
          }
        }
        yield true;
      }
      case SearchKey.Date d -> {
        LocalDate day = d.sent() ? sentDate(m) : message.internalDate().atZone(ZoneOffset.UTC).toLocalDate();
        yield day != null
            && switch (d.comparison()) {
              case BEFORE -> day.isBefore(d.date());
              case ON -> day.isEqual(d.date());
              case SINCE -> !day.isBefore(d.date());
            };
      }
      case SearchKey.Header h -> {
        String wanted = h.value().toLowerCase(Locale.ROOT);
        for (String value : m.header().values(h.field())) {
          if (DecoderUtil.decodeEncodedWords(value, DecodeMonitor.SILENT).toLowerCase(Locale.ROOT).contains(wanted)) {
            yield true;
          }
        }
        yield false; // an empty string matches any message that has the field, as contains("") is true

      }
      case SearchKey.Contains c -> {
        byte[] ascii = AsciiSearch.lowerAscii(c.value());
        if (ascii != null) {
          yield m.containsAscii(c.text(), MAX_BODY, ascii);
        }
        String text = m.searchText(c.text(), MAX_BODY);
        yield text.contains(c.value().toLowerCase(Locale.ROOT));
      }
    };
  }

  private static LocalDate sentDate(MessageContent m) throws IOException {
    String date = m.header().value("Date");
    if (date == null) {
      return null;
    }
    try {
      String cleaned = date.replaceAll("\\s*\\([^)]*\\)\\s*$", "").strip();
      return ZonedDateTime.parse(cleaned, DateTimeFormatter.RFC_1123_DATE_TIME).toLocalDate();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
