package io.vireo.mailbox.imap;

import io.vireo.mailbox.store.Flag;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses one complete IMAP command (its literals inline, the final CRLF removed) into a {@link
 * ParsedCommand}: the grammar of RFC 9051 section 9 for the commands Vireo serves, with IMAP4rev1's
 * LSUB and the LIST-EXTENDED options of RFC 5258. A pure function of the bytes: no I/O, no state.
 */
public final class ImapParser {
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("d-MMM-yyyy HH:mm:ss Z", Locale.ROOT);

  private ImapParser() {}

  public static ParsedCommand parse(byte[] command) {
    ImapTokenizer in = new ImapTokenizer(command);
    String tag = "*";
    try {
      tag = in.atom("]");
      if (tag.indexOf('+') >= 0) {
        throw new ImapParseException("'+' is not allowed in a tag");
      }
      in.space();
      String name = in.atom().toUpperCase(Locale.ROOT);
      ImapCommand parsed = command(name, in);
      in.end();
      return new ParsedCommand.Ok(tag, parsed);
    } catch (ImapParseException | IllegalArgumentException e) {
      return new ParsedCommand.Bad(tag, e.getMessage());
    } catch (SearchParser.BadCharsetException e) {
      return new ParsedCommand.BadCharset(tag, e.getMessage());
    }
  }

  private static ImapCommand command(String name, ImapTokenizer in) {
    return switch (name) {
      case "CAPABILITY" -> new ImapCommand.Capability();
      case "NOOP" -> new ImapCommand.Noop();
      case "LOGOUT" -> new ImapCommand.Logout();
      case "STARTTLS" -> new ImapCommand.StartTls();
      case "CHECK" -> new ImapCommand.Check();
      case "CLOSE" -> new ImapCommand.Close();
      case "UNSELECT" -> new ImapCommand.Unselect();
      case "IDLE" -> new ImapCommand.Idle();
      case "NAMESPACE" -> new ImapCommand.Namespace();
      case "EXPUNGE" -> new ImapCommand.Expunge(null);
      case "LOGIN" -> login(in);
      case "AUTHENTICATE" -> authenticate(in);
      case "ENABLE" -> enable(in);
      case "ID" -> id(in);
      case "SELECT", "EXAMINE" -> select(in, name.equals("EXAMINE"));
      case "CREATE" -> create(in);
      case "DELETE" -> new ImapCommand.Delete(mailbox(in));
      case "SUBSCRIBE" -> new ImapCommand.Subscribe(mailbox(in), true);
      case "UNSUBSCRIBE" -> new ImapCommand.Subscribe(mailbox(in), false);
      case "RENAME" -> rename(in);
      case "LIST" -> list(in);
      case "LSUB" -> lsub(in);
      case "STATUS" -> status(in);
      case "APPEND" -> append(in);
      case "SEARCH" -> SearchParser.search(in, false);
      case "FETCH" -> FetchParser.fetch(in, false);
      case "STORE" -> store(in, false);
      case "COPY" -> copy(in, false, false);
      case "MOVE" -> copy(in, false, true);
      case "UID" -> uid(in);
      default -> throw new ImapParseException("unknown command " + name);
    };
  }

  private static ImapCommand uid(ImapTokenizer in) {
    in.space();
    String name = in.atom().toUpperCase(Locale.ROOT);
    return switch (name) {
      case "FETCH" -> FetchParser.fetch(in, true);
      case "STORE" -> store(in, true);
      case "SEARCH" -> SearchParser.search(in, true);
      case "COPY" -> copy(in, true, false);
      case "MOVE" -> copy(in, true, true);
      case "EXPUNGE" -> {
        in.space();
        yield new ImapCommand.Expunge(in.sequenceSet());
      }
      default -> throw new ImapParseException("unknown UID command " + name);
    };
  }

  private static ImapCommand login(ImapTokenizer in) {
    in.space();
    String user = in.astring();
    in.space();
    int c = in.peek();
    byte[] password =
        c == '"' || c == '{' ? in.stringBytes() : in.atom("]").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return new ImapCommand.Login(user, password);
  }

  private static ImapCommand authenticate(ImapTokenizer in) {
    in.space();
    String mechanism = in.atom().toUpperCase(Locale.ROOT);
    String initial = null;
    if (in.accept(' ')) {
      initial = in.atom("=+/");
    }
    return new ImapCommand.Authenticate(mechanism, initial);
  }

  private static ImapCommand enable(ImapTokenizer in) {
    List<String> capabilities = new ArrayList<>();
    while (in.accept(' ')) {
      capabilities.add(in.atom().toUpperCase(Locale.ROOT));
    }
    if (capabilities.isEmpty()) {
      throw new ImapParseException("ENABLE needs a capability");
    }
    return new ImapCommand.Enable(capabilities);
  }

  /** ID (RFC 2971): the client's parameters are read and not used. */
  private static ImapCommand id(ImapTokenizer in) {
    in.space();
    if (in.accept('(')) {
      while (!in.accept(')')) {
        in.accept(' ');
        nstring(in);
      }
    } else {
      expectNil(in);
    }
    return new ImapCommand.Id();
  }

  /** SELECT or EXAMINE, with CONDSTORE as the one parameter known (RFC 7162 section 3.1.8). */
  private static ImapCommand select(ImapTokenizer in, boolean readOnly) {
    String mailbox = mailbox(in);
    boolean condstore = false;
    if (in.accept(' ')) {
      in.expect('(');
      do {
        String parameter = in.atom().toUpperCase(Locale.ROOT);
        if (!parameter.equals("CONDSTORE")) {
          throw new ImapParseException("unknown SELECT parameter " + parameter);
        }
        condstore = true;
      } while (in.accept(' '));
      in.expect(')');
    }
    return new ImapCommand.Select(mailbox, readOnly, condstore);
  }

  /**
   * CREATE with RFC 4466's optional parameters, of which only USE (RFC 6154 section 3) is known:
   * {@code CREATE name (USE (\Sent))}. The attributes are kept as given; the session judges them.
   */
  private static ImapCommand create(ImapTokenizer in) {
    String mailbox = mailbox(in);
    List<String> uses = new ArrayList<>();
    if (in.accept(' ')) {
      in.expect('(');
      do {
        String parameter = in.atom().toUpperCase(Locale.ROOT);
        if (!parameter.equals("USE")) {
          throw new ImapParseException("unknown CREATE parameter " + parameter);
        }
        in.space();
        in.expect('(');
        do {
          if (!in.accept('\\')) {
            throw new ImapParseException("a special use starts with a backslash");
          }
          uses.add("\\" + in.atom());
        } while (in.accept(' '));
        in.expect(')');
      } while (in.accept(' '));
      in.expect(')');
    }
    return new ImapCommand.Create(mailbox, List.copyOf(uses));
  }

  private static String mailbox(ImapTokenizer in) {
    in.space();
    return in.astring();
  }

  private static ImapCommand rename(ImapTokenizer in) {
    String from = mailbox(in);
    String to = mailbox(in);
    return new ImapCommand.Rename(from, to);
  }

  private static ImapCommand list(ImapTokenizer in) {
    in.space();
    boolean subscribedOnly = false;
    boolean specialUseOnly = false;
    if (in.accept('(')) {
      while (!in.accept(')')) {
        in.accept(' ');
        String option = in.atom().toUpperCase(Locale.ROOT);
        subscribedOnly |= option.equals("SUBSCRIBED");
        specialUseOnly |= option.equals("SPECIAL-USE");
      }
      in.space();
    }
    String reference = in.astring();
    in.space();
    List<String> patterns = new ArrayList<>();
    if (in.accept('(')) {
      do {
        patterns.add(in.listMailbox());
      } while (in.accept(' '));
      in.expect(')');
    } else {
      patterns.add(in.listMailbox());
    }
    // RETURN (SPECIAL-USE) needs nothing: the attributes are in every LIST (RFC 6154 section 2 allows it).
    boolean returnSubscribed = false;
    if (in.accept(' ')) {
      if (!in.atom().equalsIgnoreCase("RETURN")) {
        throw new ImapParseException("expected RETURN");
      }
      in.space();
      in.expect('(');
      while (!in.accept(')')) {
        in.accept(' ');
        String option = in.atom().toUpperCase(Locale.ROOT);
        returnSubscribed |= option.equals("SUBSCRIBED");
        if (in.peek() == '(') {
          skipParenthesized(in);
        }
      }
    }
    return new ImapCommand.ListMailboxes(
        reference, patterns, false, subscribedOnly, returnSubscribed, specialUseOnly);
  }

  private static ImapCommand lsub(ImapTokenizer in) {
    in.space();
    String reference = in.astring();
    in.space();
    return new ImapCommand.ListMailboxes(reference, List.of(in.listMailbox()), true, true, false, false);
  }

  private static ImapCommand status(ImapTokenizer in) {
    String mailbox = mailbox(in);
    in.space();
    in.expect('(');
    List<String> items = new ArrayList<>();
    do {
      String item = in.atom().toUpperCase(Locale.ROOT);
      if (!List.of("MESSAGES", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "DELETED", "SIZE", "RECENT", "HIGHESTMODSEQ")
          .contains(item)) {
        throw new ImapParseException("unknown STATUS item " + item);
      }
      items.add(item);
    } while (in.accept(' '));
    in.expect(')');
    return new ImapCommand.Status(mailbox, items);
  }

  private static ImapCommand append(ImapTokenizer in) {
    String mailbox = mailbox(in);
    in.space();
    Set<Flag> flags = EnumSet.noneOf(Flag.class);
    if (in.peek() == '(') {
      flags = flagList(in);
      in.space();
    }
    Instant date = null;
    if (in.peek() == '"') {
      date = dateTime(in.string());
      in.space();
    }
    return new ImapCommand.Append(mailbox, flags, date, in.stringBytes());
  }

  private static Instant dateTime(String text) {
    try {
      return ZonedDateTime.parse(text.strip(), DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new ImapParseException("invalid date-time \"" + text + "\"");
    }
  }

  private static ImapCommand store(ImapTokenizer in, boolean uid) {
    in.space();
    SequenceSet set = in.sequenceSet();
    in.space();
    long unchangedSince = -1;
    if (in.accept('(')) {
      // STORE modifiers: CONDSTORE's UNCHANGEDSINCE (RFC 7162 section 3.1.3), nothing else.
      if (!in.atom().equalsIgnoreCase("UNCHANGEDSINCE")) {
        throw new ImapParseException("the only STORE modifier is UNCHANGEDSINCE");
      }
      in.space();
      unchangedSince = in.number();
      in.expect(')');
      in.space();
    }
    ImapCommand.StoreMode mode = ImapCommand.StoreMode.REPLACE;
    if (in.accept('+')) {
      mode = ImapCommand.StoreMode.ADD;
    } else if (in.accept('-')) {
      mode = ImapCommand.StoreMode.REMOVE;
    }
    String item = in.atom(".").toUpperCase(Locale.ROOT);
    boolean silent = item.equals("FLAGS.SILENT");
    if (!silent && !item.equals("FLAGS")) {
      throw new ImapParseException("STORE changes FLAGS or FLAGS.SILENT, not " + item);
    }
    in.space();
    Set<Flag> flags;
    if (in.peek() == '(') {
      flags = flagList(in);
    } else {
      flags = EnumSet.noneOf(Flag.class);
      do {
        addFlag(in, flags);
      } while (in.accept(' '));
    }
    return new ImapCommand.Store(uid, set, unchangedSince, mode, silent, flags);
  }

  private static ImapCommand copy(ImapTokenizer in, boolean uid, boolean move) {
    in.space();
    SequenceSet set = in.sequenceSet();
    return new ImapCommand.Copy(uid, set, mailbox(in), move);
  }

  /**
   * A flag list; keywords are read and dropped (RFC 9051 section 7.1: a flag outside
   * PERMANENTFLAGS may be ignored), \Recent is refused as the grammar does.
   */
  static Set<Flag> flagList(ImapTokenizer in) {
    Set<Flag> flags = EnumSet.noneOf(Flag.class);
    in.expect('(');
    if (in.accept(')')) {
      return flags;
    }
    do {
      addFlag(in, flags);
    } while (in.accept(' '));
    in.expect(')');
    return flags;
  }

  private static void addFlag(ImapTokenizer in, Set<Flag> flags) {
    boolean system = in.accept('\\');
    String name = in.atom();
    if (system) {
      Flag flag = Flag.ofImapName("\\" + name);
      if (flag != null) {
        flags.add(flag);
      } else if (name.equalsIgnoreCase("Recent")) {
        throw new ImapParseException("\\Recent cannot be set");
      }
    }
  }

  static String nstring(ImapTokenizer in) {
    if (in.peek() == '"' || in.peek() == '{') {
      return in.string();
    }
    expectNil(in);
    return null;
  }

  private static void expectNil(ImapTokenizer in) {
    if (!in.atom().equalsIgnoreCase("NIL")) {
      throw new ImapParseException("expected NIL");
    }
  }

  /** Skips a parenthesized list (nested lists, strings and atoms), for parameters we do not use. */
  static void skipParenthesized(ImapTokenizer in) {
    in.expect('(');
    int depth = 1;
    while (depth > 0) {
      int c = in.peek();
      if (c < 0) {
        throw new ImapParseException("unbalanced parentheses");
      } else if (c == '(') {
        in.expect('(');
        depth++;
      } else if (c == ')') {
        in.expect(')');
        depth--;
      } else if (c == ' ') {
        in.space();
      } else if (c == '"' || c == '{') {
        in.string();
      } else {
        in.atom("]\\*%");
      }
    }
  }
}
