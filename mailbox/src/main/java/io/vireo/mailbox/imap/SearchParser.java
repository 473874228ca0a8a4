package io.vireo.mailbox.imap;

import io.vireo.mailbox.store.Flag;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The SEARCH part of the grammar (RFC 9051 sections 6.4.4 and 9, {@code search-key}). */
final class SearchParser {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d-MMM-yyyy", Locale.ROOT);
  /** Nesting of NOT, OR and parentheses: bounded so a hostile command cannot exhaust the stack. */
  private static final int MAX_DEPTH = 32;

  private SearchParser() {}

  static ImapCommand.Search search(ImapTokenizer in, boolean uid) {
    List<String> returnOptions = null;
    in.space();
    if (startsWord(in, "RETURN")) {
      in.atom();
      in.space();
      in.expect('(');
      returnOptions = new ArrayList<>();
      while (!in.accept(')')) {
        in.accept(' ');
        String option = in.atom().toUpperCase(Locale.ROOT);
        if (!List.of("MIN", "MAX", "ALL", "COUNT").contains(option)) {
          throw new ImapParseException("unsupported SEARCH RETURN option " + option);
        }
        returnOptions.add(option);
      }
      if (returnOptions.isEmpty()) {
        returnOptions.add("ALL"); // RFC 4731 section 3.1: () means ALL
      }
      in.space();
    }
    if (startsWord(in, "CHARSET")) {
      in.atom();
      in.space();
      String charset = in.astring().toUpperCase(Locale.ROOT);
      if (!charset.equals("UTF-8") && !charset.equals("US-ASCII")) {
        throw new BadCharsetException(charset);
      }
      in.space();
    }
    List<SearchKey> keys = new ArrayList<>();
    do {
      keys.add(key(in, 0));
    } while (in.accept(' '));
    SearchKey key = keys.size() == 1 ? keys.getFirst() : new SearchKey.And(keys);
    return new ImapCommand.Search(uid, key, returnOptions);
  }

  private static boolean startsWord(ImapTokenizer in, String word) {
    return in.peekAtom().equalsIgnoreCase(word);
  }

  static SearchKey key(ImapTokenizer in, int depth) {
    if (depth > MAX_DEPTH) {
      throw new ImapParseException("search keys nested too deeply");
    }
    int c = in.peek();
    if (c == '(') {
      in.expect('(');
      List<SearchKey> keys = new ArrayList<>();
      do {
        keys.add(key(in, depth + 1));
      } while (in.accept(' '));
      in.expect(')');
      return keys.size() == 1 ? keys.getFirst() : new SearchKey.And(keys);
    }
    if ((c >= '0' && c <= '9') || c == '*') {
      return new SearchKey.Sequence(in.sequenceSet());
    }
    String name = in.atom().toUpperCase(Locale.ROOT);
    return switch (name) {
      case "ALL" -> new SearchKey.All();
      case "ANSWERED" -> new SearchKey.HasFlag(Flag.ANSWERED, true);
      case "DELETED" -> new SearchKey.HasFlag(Flag.DELETED, true);
      case "DRAFT" -> new SearchKey.HasFlag(Flag.DRAFT, true);
      case "FLAGGED" -> new SearchKey.HasFlag(Flag.FLAGGED, true);
      case "SEEN" -> new SearchKey.HasFlag(Flag.SEEN, true);
      case "UNANSWERED" -> new SearchKey.HasFlag(Flag.ANSWERED, false);
      case "UNDELETED" -> new SearchKey.HasFlag(Flag.DELETED, false);
      case "UNDRAFT" -> new SearchKey.HasFlag(Flag.DRAFT, false);
      case "UNFLAGGED" -> new SearchKey.HasFlag(Flag.FLAGGED, false);
      case "UNSEEN" -> new SearchKey.HasFlag(Flag.SEEN, false);
      case "NEW", "RECENT" -> new SearchKey.Recent(true);
      case "OLD" -> new SearchKey.Recent(false);
      case "KEYWORD" -> new SearchKey.Keyword(argumentAtom(in), true);
      case "UNKEYWORD" -> new SearchKey.Keyword(argumentAtom(in), false);
      case "FROM", "TO", "CC", "BCC", "SUBJECT" -> new SearchKey.Header(name, argument(in));
      case "HEADER" -> new SearchKey.Header(argument(in).toUpperCase(Locale.ROOT), argument(in));
      case "BODY" -> new SearchKey.Contains(argument(in), false);
      case "TEXT" -> new SearchKey.Contains(argument(in), true);
      case "BEFORE" -> date(in, SearchKey.Comparison.BEFORE, false);
      case "ON" -> date(in, SearchKey.Comparison.ON, false);
      case "SINCE" -> date(in, SearchKey.Comparison.SINCE, false);
      case "SENTBEFORE" -> date(in, SearchKey.Comparison.BEFORE, true);
      case "SENTON" -> date(in, SearchKey.Comparison.ON, true);
      case "SENTSINCE" -> date(in, SearchKey.Comparison.SINCE, true);
      case "LARGER" -> new SearchKey.Size(number(in), true);
      case "SMALLER" -> new SearchKey.Size(number(in), false);
      case "MODSEQ" -> modSeq(in);
      case "UID" -> {
        in.space();
        yield new SearchKey.Uids(in.sequenceSet());
      }
      case "NOT" -> {
        in.space();
        yield new SearchKey.Not(key(in, depth + 1));
      }
      case "OR" -> {
        in.space();
        SearchKey left = key(in, depth + 1);
        in.space();
        yield new SearchKey.Or(left, key(in, depth + 1));
      }
      default -> throw new ImapParseException("unknown search key " + name);
    };
  }

  private static String argument(ImapTokenizer in) {
    in.space();
    return in.astring();
  }

  private static String argumentAtom(ImapTokenizer in) {
    in.space();
    return in.atom();
  }

  /**
   * {@code MODSEQ [entry-name entry-type] n}: the entry (a flag's metadata) is read and not used,
   * since every flag change gives the message one mod-sequence.
   */
  private static SearchKey modSeq(ImapTokenizer in) {
    in.space();
    if (in.peek() == '"') {
      in.string();
      in.space();
      String type = in.atom().toLowerCase(Locale.ROOT);
      if (!List.of("priv", "shared", "all").contains(type)) {
        throw new ImapParseException("MODSEQ entry type is priv, shared or all");
      }
      in.space();
    }
    return new SearchKey.ModSeq(in.number());
  }

  /** True when a key, or one nested in it, is MODSEQ: the response then carries the highest. */
  static boolean usesModSeq(SearchKey key) {
    return switch (key) {
      case SearchKey.ModSeq m -> true;
      case SearchKey.Not n -> usesModSeq(n.key());
      case SearchKey.Or o -> usesModSeq(o.left()) || usesModSeq(o.right());
      case SearchKey.And and -> and.keys().stream().anyMatch(SearchParser::usesModSeq);
      default -> false;
    };
  }

  private static long number(ImapTokenizer in) {
    in.space();
    return in.number();
  }

  private static SearchKey date(ImapTokenizer in, SearchKey.Comparison comparison, boolean sent) {
    String text = argument(in);
    try {
      return new SearchKey.Date(comparison, LocalDate.parse(text, DATE), sent);
    } catch (DateTimeParseException e) {
      throw new ImapParseException("invalid date " + text);
    }
  }

  /** A CHARSET other than UTF-8 and US-ASCII: NO [BADCHARSET], not BAD (RFC 9051 section 6.4.4). */
  static final class BadCharsetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadCharsetException(String charset) {
      super("unsupported charset " + charset, null, false, false);
    }
  }
}
