package io.vireo.mailbox.imap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The FETCH part of the grammar (RFC 9051 section 9: {@code fetch}, {@code section}, {@code partial}). */
final class FetchParser {
  private FetchParser() {}

  static ImapCommand.Fetch fetch(ImapTokenizer in, boolean uid) {
    in.space();
    SequenceSet set = in.sequenceSet();
    in.space();
    List<FetchAttribute> attributes = new ArrayList<>();
    if (in.accept('(')) {
      do {
        attributes.add(attribute(in.name().toUpperCase(Locale.ROOT), in));
      } while (in.accept(' '));
      in.expect(')');
    } else {
      String name = in.name().toUpperCase(Locale.ROOT);
      List<FetchAttribute> expanded = macro(name);
      if (expanded.isEmpty()) {
        attributes.add(attribute(name, in));
      } else {
        attributes.addAll(expanded);
      }
    }
    long changedSince = -1;
    if (in.accept(' ')) {
      // FETCH modifiers: CONDSTORE's CHANGEDSINCE (RFC 7162 section 3.1.4.1), nothing else.
      in.expect('(');
      if (!in.atom().equalsIgnoreCase("CHANGEDSINCE")) {
        throw new ImapParseException("the only FETCH modifier is CHANGEDSINCE");
      }
      in.space();
      changedSince = in.number();
      in.expect(')');
    }
    return new ImapCommand.Fetch(uid, set, attributes, changedSince);
  }

  private static List<FetchAttribute> macro(String name) {
    FetchAttribute flags = new FetchAttribute.Flags();
    FetchAttribute date = new FetchAttribute.InternalDate();
    FetchAttribute size = new FetchAttribute.Rfc822Size();
    return switch (name) {
      case "ALL" -> List.of(flags, date, size, new FetchAttribute.Envelope());
      case "FAST" -> List.of(flags, date, size);
      case "FULL" ->
          List.of(flags, date, size, new FetchAttribute.Envelope(), new FetchAttribute.BodyStructure(false));
      default -> List.of();
    };
  }

  /** One item; the macros ALL, FAST and FULL stand alone (RFC 9051 section 6.4.5). */
  private static FetchAttribute attribute(String name, ImapTokenizer in) {
    return switch (name) {
      case "FLAGS" -> new FetchAttribute.Flags();
      case "UID" -> new FetchAttribute.Uid();
      case "INTERNALDATE" -> new FetchAttribute.InternalDate();
      case "RFC822.SIZE" -> new FetchAttribute.Rfc822Size();
      case "ENVELOPE" -> new FetchAttribute.Envelope();
      case "MODSEQ" -> new FetchAttribute.ModSeq();
      case "BODYSTRUCTURE" -> new FetchAttribute.BodyStructure(true);
      case "RFC822" -> legacy(Section.Text.ALL, false, "RFC822");
      case "RFC822.HEADER" -> legacy(Section.Text.HEADER, true, "RFC822.HEADER");
      case "RFC822.TEXT" -> legacy(Section.Text.TEXT, false, "RFC822.TEXT");
      case "BODY", "BODY.PEEK" -> {
        if (in.peek() != '[') {
          if (name.equals("BODY.PEEK")) {
            throw new ImapParseException("BODY.PEEK needs a section");
          }
          yield new FetchAttribute.BodyStructure(false);
        }
        yield body(in, name.equals("BODY.PEEK"));
      }
      case "ALL", "FAST", "FULL" -> throw new ImapParseException(name + " is a macro and must stand alone");
      default -> throw new ImapParseException("unknown FETCH item " + name);
    };
  }

  private static FetchAttribute legacy(Section.Text text, boolean peek, String name) {
    return new FetchAttribute.Body(new Section(List.of(), text, List.of()), peek, -1, 0, name);
  }

  private static FetchAttribute body(ImapTokenizer in, boolean peek) {
    in.expect('[');
    Section section = section(in);
    in.expect(']');
    long offset = -1;
    long count = 0;
    if (in.accept('<')) {
      offset = in.number();
      in.expect('.');
      count = in.number();
      if (count == 0) {
        throw new ImapParseException("a partial's length must be nonzero");
      }
      in.expect('>');
    }
    return new FetchAttribute.Body(section, peek, offset, count, null);
  }

  static Section section(ImapTokenizer in) {
    if (in.peek() == ']') {
      return new Section(List.of(), Section.Text.ALL, List.of());
    }
    String spec = in.name().toUpperCase(Locale.ROOT);
    String[] pieces = spec.split("\\.", -1);
    List<Integer> part = new ArrayList<>();
    int i = 0;
    while (i < pieces.length && !pieces[i].isEmpty() && pieces[i].chars().allMatch(Character::isDigit)) {
      if (pieces[i].length() > 5 || Integer.parseInt(pieces[i]) == 0) {
        throw new ImapParseException("invalid part number " + pieces[i]);
      }
      part.add(Integer.parseInt(pieces[i++]));
    }
    String text = String.join(".", java.util.Arrays.copyOfRange(pieces, i, pieces.length));
    Section.Text kind =
        switch (text) {
          case "" -> Section.Text.ALL;
          case "HEADER" -> Section.Text.HEADER;
          case "HEADER.FIELDS" -> Section.Text.HEADER_FIELDS;
          case "HEADER.FIELDS.NOT" -> Section.Text.HEADER_FIELDS_NOT;
          case "TEXT" -> Section.Text.TEXT;
          case "MIME" -> {
            if (part.isEmpty()) {
              throw new ImapParseException("MIME needs a part number");
            }
            yield Section.Text.MIME;
          }
          default -> throw new ImapParseException("invalid section " + spec);
        };
    if (kind == Section.Text.ALL && spec.endsWith(".")) {
      throw new ImapParseException("invalid section " + spec);
    }
    List<String> fields = new ArrayList<>();
    if (kind == Section.Text.HEADER_FIELDS || kind == Section.Text.HEADER_FIELDS_NOT) {
      in.space();
      in.expect('(');
      do {
        fields.add(in.astring().toUpperCase(Locale.ROOT));
      } while (in.accept(' '));
      in.expect(')');
    }
    return new Section(part, kind, fields);
  }
}
