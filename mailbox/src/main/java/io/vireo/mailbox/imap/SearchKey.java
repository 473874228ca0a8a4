package io.vireo.mailbox.imap;

import io.vireo.mailbox.store.Flag;
import java.time.LocalDate;
import java.util.List;

/** A SEARCH criterion (RFC 9051 section 6.4.4), one record per kind. */
public sealed interface SearchKey {
  record All() implements SearchKey {}

  /** A system flag set ({@code SEEN}) or not ({@code UNSEEN}). */
  record HasFlag(Flag flag, boolean set) implements SearchKey {}

  /** NEW (IMAP4rev1) and RECENT: no message is recent here, so these match nothing. */
  record Recent(boolean set) implements SearchKey {}

  /** A keyword set or not; keywords are not kept, so KEYWORD matches nothing. */
  record Keyword(String keyword, boolean set) implements SearchKey {}

  /** A header field containing a string (FROM, TO, CC, BCC, SUBJECT, HEADER). */
  record Header(String field, String value) implements SearchKey {}

  /** BODY (text = false) or TEXT (header and body). */
  record Contains(String value, boolean text) implements SearchKey {}

  /** BEFORE, ON, SINCE on the internal date, or SENTBEFORE... on the Date header. */
  record Date(Comparison comparison, LocalDate date, boolean sent) implements SearchKey {}

  /** LARGER (larger = true) and SMALLER. */
  record Size(long octets, boolean larger) implements SearchKey {}

  /** CONDSTORE's MODSEQ (RFC 7162 section 3.1.5): a mod-sequence at least this. */
  record ModSeq(long modSeq) implements SearchKey {}

  record Uids(SequenceSet set) implements SearchKey {}

  record Sequence(SequenceSet set) implements SearchKey {}

  record Not(SearchKey key) implements SearchKey {}

  record Or(SearchKey left, SearchKey right) implements SearchKey {}

  record And(List<SearchKey> keys) implements SearchKey {
    public And {
      keys = List.copyOf(keys);
    }
  }

  /** How a date compares, at the granularity of days (RFC 9051: "disregarding time and timezone"). */
  enum Comparison {
    BEFORE,
    ON,
    SINCE
  }
}
