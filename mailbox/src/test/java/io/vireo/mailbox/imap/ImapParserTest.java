package io.vireo.mailbox.imap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.mailbox.store.Flag;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImapParserTest {
  private static ParsedCommand parse(String command) {
    return ImapParser.parse(command.getBytes(UTF_8));
  }

  private static ImapCommand ok(String command) {
    ParsedCommand parsed = parse(command);
    assertThat(parsed).isInstanceOf(ParsedCommand.Ok.class);
    return ((ParsedCommand.Ok) parsed).command();
  }

  @Test
  void fetchItemsSectionsPartialsAndMacros() {
    ImapCommand.Fetch fetch =
        (ImapCommand.Fetch) ok("a UID FETCH 4:2,9:* (UID BODY.PEEK[1.2.HEADER.FIELDS.NOT (Received x-y)]<10.20> RFC822.HEADER)");
    assertThat(fetch.uid()).isTrue();
    assertThat(fetch.set().contains(3, 100)).isTrue();
    assertThat(fetch.set().contains(100, 100)).isTrue();
    assertThat(fetch.set().contains(5, 100)).isFalse();
    FetchAttribute.Body body = (FetchAttribute.Body) fetch.attributes().get(1);
    assertThat(body.section())
        .isEqualTo(new Section(List.of(1, 2), Section.Text.HEADER_FIELDS_NOT, List.of("RECEIVED", "X-Y")));
    assertThat(body.peek()).isTrue();
    assertThat(body.offset()).isEqualTo(10);
    assertThat(body.section().render()).isEqualTo("1.2.HEADER.FIELDS.NOT (RECEIVED X-Y)");
    assertThat(((ImapCommand.Fetch) ok("b FETCH 1 FULL")).attributes()).hasSize(5);
    assertThat(parse("c FETCH 1 (FLAGS ALL)")).isInstanceOf(ParsedCommand.Bad.class);
    assertThat(parse("d FETCH 0 FLAGS")).isEqualTo(new ParsedCommand.Bad("d", "invalid message number 0"));
    assertThat(parse("e FETCH 1 BODY[MIME]")).isInstanceOf(ParsedCommand.Bad.class);
  }

  @Test
  void stringsLiteralsAndFlags() {
    ImapCommand.Login login = (ImapCommand.Login) ok("a LOGIN {3}\r\nbob \"p\\\"w d\"");
    assertThat(login.user()).isEqualTo("bob");
    assertThat(new String(login.password(), UTF_8)).isEqualTo("p\"w d");
    ImapCommand.Append append = (ImapCommand.Append) ok("b APPEND Sent (\\Seen \\Draft $Label) {2+}\r\nhi");
    assertThat(append.flags()).isEqualTo(Set.of(Flag.SEEN, Flag.DRAFT));
    assertThat(append.content()).isEqualTo("hi".getBytes(UTF_8));
    ImapCommand.Store store = (ImapCommand.Store) ok("c STORE 1 -FLAGS.SILENT \\Deleted");
    assertThat(store.mode()).isEqualTo(ImapCommand.StoreMode.REMOVE);
    assertThat(store.silent()).isTrue();
    assertThat(parse("d STORE 1 +FLAGS (\\Recent)")).isInstanceOf(ParsedCommand.Bad.class);
    assertThat(parse("e LOGIN {10}\r\nbob")).isEqualTo(new ParsedCommand.Bad("e", "literal longer than the command"));
    assertThat(parse("f+ NOOP")).isInstanceOf(ParsedCommand.Bad.class);
  }

  @Test
  void createUseAndListSpecialUseOptions() {
    assertThat(ok("a CREATE \"My Sent\" (USE (\\Sent \\Drafts))"))
        .isEqualTo(new ImapCommand.Create("My Sent", List.of("\\Sent", "\\Drafts")));
    assertThat(ok("b CREATE Plain")).isEqualTo(new ImapCommand.Create("Plain", List.of()));
    assertThat(ok("c LIST (SPECIAL-USE SUBSCRIBED) \"\" * RETURN (SPECIAL-USE)"))
        .isEqualTo(new ImapCommand.ListMailboxes("", List.of("*"), false, true, false, true));
    assertThat(parse("d CREATE X (USE (Sent))")).isInstanceOf(ParsedCommand.Bad.class);
    assertThat(parse("e CREATE X (USE ())")).isInstanceOf(ParsedCommand.Bad.class);
    assertThat(parse("f CREATE X (USE (\\Sent)")).isInstanceOf(ParsedCommand.Bad.class);
  }

  @Test
  void condStoreModifiersAndItems() {
    assertThat(ok("a SELECT INBOX (CONDSTORE)")).isEqualTo(new ImapCommand.Select("INBOX", false, true));
    assertThat(ok("b UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345)"))
        .isEqualTo(new ImapCommand.Fetch(true, ((ImapCommand.Fetch) ok("x UID FETCH 1:* FLAGS")).set(),
            List.of(new FetchAttribute.Flags()), 12345));
    assertThat(ok("c STORE 1 (UNCHANGEDSINCE 7) +FLAGS.SILENT (\\Seen)"))
        .isEqualTo(new ImapCommand.Store(false, ((ImapCommand.Store) ok("y STORE 1 FLAGS ()")).set(), 7,
            ImapCommand.StoreMode.ADD, true, Set.of(Flag.SEEN)));
    assertThat(((ImapCommand.Search) ok("d SEARCH MODSEQ \"/flags/\\\\draft\" all 620162338")).key())
        .isEqualTo(new SearchKey.ModSeq(620162338));
    assertThat(ok("e STATUS INBOX (HIGHESTMODSEQ)")).isEqualTo(new ImapCommand.Status("INBOX", List.of("HIGHESTMODSEQ")));
    assertThat(parse("f FETCH 1 FLAGS (VANISHED)")).isInstanceOf(ParsedCommand.Bad.class);
    assertThat(parse("g SELECT INBOX (QRESYNC (1 2))")).isInstanceOf(ParsedCommand.Bad.class);
    assertThat(parse("h SEARCH MODSEQ \"/flags/x\" some 5")).isInstanceOf(ParsedCommand.Bad.class);
    assertThat(parse("i STORE 1 (UNCHANGEDSINCE) FLAGS ()")).isInstanceOf(ParsedCommand.Bad.class);
  }

  @Test
  void searchKeysNestAndAreBounded() {
    ImapCommand.Search search = (ImapCommand.Search) ok("a SEARCH NOT (OR SEEN 2:4) HEADER X-Spam yes");
    assertThat(search.key())
        .isEqualTo(
            new SearchKey.And(
                List.of(
                    new SearchKey.Not(
                        new SearchKey.Or(
                            new SearchKey.HasFlag(Flag.SEEN, true),
                            new SearchKey.Sequence(new SequenceSet(List.of(new SequenceSet.Range(2, 4)))))),
                    new SearchKey.Header("X-SPAM", "yes"))));
    assertThat(parse("b SEARCH " + "NOT ".repeat(100) + "ALL")).isInstanceOf(ParsedCommand.Bad.class);
    assertThat(parse("c SEARCH CHARSET ISO-2022-JP ALL")).isInstanceOf(ParsedCommand.BadCharset.class);
  }
}
