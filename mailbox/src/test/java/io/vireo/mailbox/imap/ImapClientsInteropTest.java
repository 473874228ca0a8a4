package io.vireo.mailbox.imap;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.mailbox.store.MailStore;
import io.vireo.mailbox.testing.AccessServer;
import io.vireo.mailbox.testing.ExternalTool;
import io.vireo.mailbox.testing.Processes;
import io.vireo.mailbox.testing.TestLogins;
import io.vireo.mailbox.testing.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real IMAP clients against the session: Python's imaplib and curl. */
class ImapClientsInteropTest {
  @TempDir Path root;
  @TempDir Path work;
  MailStore store;
  AccessServer server;
  TestTls tls;

  @BeforeEach
  void start() throws Exception {
    tls = TestTls.generate(work);
    store = new MailStore(root, Clock.systemUTC(), "test.example");
    ImapSettings settings = ImapSettings.defaults("imap.test", Clock.systemUTC());
    server =
        new AccessServer(
            () -> new ImapSession(store, new TestLogins(Map.of("bob", "s3cret pass")), settings), tls.server());
    store.deliver("bob", "INBOX", ImapDialogueTest.PLAIN.getBytes(US_ASCII), Set.of(), Instant.parse("2026-12-02T10:00:00Z"));
    store.deliver("bob", "INBOX", ImapDialogueTest.MULTIPART.getBytes(US_ASCII), Set.of(), Instant.now());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void pythonImaplibOverStartTls() throws Exception {
    Path python = ExternalTool.require("python3", "python3");
    String script =
        """
        import imaplib, ssl, sys
        port = int(sys.argv[1])
        ctx = ssl.create_default_context(cafile=None)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        m = imaplib.IMAP4('127.0.0.1', port)
        assert 'LOGINDISABLED' in m.capabilities, m.capabilities
        m.starttls(ssl_context=ctx)
        assert 'AUTH=PLAIN' in m.capabilities, m.capabilities
        m.login('bob', 's3cret pass')
        typ, data = m.select('INBOX')
        print('select', typ, data)
        typ, data = m.search(None, 'UNSEEN')
        print('search', typ, data)
        typ, data = m.fetch('1', '(RFC822)')
        sys.stdout.buffer.write(b'fetched ' + data[0][1] + b'END\\n')
        typ, data = m.uid('FETCH', '1:*', '(FLAGS)')
        print('flags', data)
        m.create('Saved')
        typ, data = m.uid('COPY', '2', 'Saved')
        print('copy', typ, data)
        m.append('Saved', '(\\\\Flagged)', None, b'Subject: from python\\r\\n\\r\\nhi\\r\\n')
        typ, data = m.status('Saved', '(MESSAGES UIDNEXT)')
        print('status', data)
        typ, data = m.list()
        print('list', data)
        typ, data = m._simple_command('CREATE', 'Outbox', '(USE (\\\\Sent))')
        print('create-special-use', typ, data)
        typ, data = m._simple_command('LIST', '(SPECIAL-USE)', '""', '*')
        print('special-use', m._untagged_response(typ, data, 'LIST'))
        m.logout()
        """;
    Path file = work.resolve("client.py");
    Files.writeString(file, script);
    Processes.Result result =
        Processes.run(List.of(python.toString(), file.toString(), String.valueOf(server.port())), Map.of(), null, work);
    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("select OK [b'2']")
        .contains("search OK [b'1 2']")
        .contains("fetched " + ImapDialogueTest.PLAIN + "END")
        .contains("flags [b'1 (UID 1 FLAGS (\\\\Seen))', b'2 (UID 2 FLAGS ())']")
        .contains("copy OK")
        .contains("status [b'\"Saved\" (MESSAGES 2 UIDNEXT 3)']")
        .contains("b'(\\\\HasNoChildren) \".\" \"Saved\"'")
        .contains("b'(\\\\HasNoChildren \\\\Trash) \".\" \"Trash\"'")
        .contains("create-special-use OK")
        .contains(
            "special-use ('OK', [b'(\\\\HasNoChildren \\\\Archive) \".\" \"Archive\"', "
                + "b'(\\\\HasNoChildren \\\\Drafts) \".\" \"Drafts\"', b'(\\\\HasNoChildren \\\\Junk) \".\" \"Junk\"', "
                + "b'(\\\\HasNoChildren \\\\Sent) \".\" \"Outbox\"', b'(\\\\HasNoChildren \\\\Sent) \".\" \"Sent\"', "
                + "b'(\\\\HasNoChildren \\\\Trash) \".\" \"Trash\"'])");
  }

  /** CONDSTORE from imaplib, which has no API of its own for it: the commands as a client sends them. */
  @Test
  void pythonImaplibConditionalStore() throws Exception {
    Path python = ExternalTool.require("python3", "python3");
    String script =
        """
        import imaplib, ssl, sys
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        m = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))
        m.starttls(ssl_context=ctx)
        assert 'CONDSTORE' in m.capabilities, m.capabilities
        m.login('bob', 's3cret pass')
        typ, data = m.enable('CONDSTORE')
        print('enable', typ, m.response('ENABLED'))
        m.select('INBOX')
        print('highest', m.response('HIGHESTMODSEQ'))
        typ, data = m.uid('FETCH', '1:*', '(FLAGS MODSEQ)')
        print('modseqs', data)
        typ, data = m.uid('STORE', '1:2', '(UNCHANGEDSINCE 2) +FLAGS', '(\\\\Seen)')
        print('store', typ, data)
        typ, data = m.uid('FETCH', '1:*', '(FLAGS) (CHANGEDSINCE 3)')
        print('changed', data)
        typ, data = m.uid('SEARCH', 'MODSEQ', '4')
        print('search', data)
        typ, data = m.status('INBOX', '(HIGHESTMODSEQ)')
        print('status', data)
        m.logout()
        """;
    Path file = work.resolve("condstore.py");
    Files.writeString(file, script);
    Processes.Result result =
        Processes.run(List.of(python.toString(), file.toString(), String.valueOf(server.port())), Map.of(), null, work);
    assertThat(result.exit()).as(result.output()).isZero();
    // Two deliveries after the folder's first load: modseqs 2 and 3; the conditional STORE changes
    // UID 1 (modseq 4) and refuses UID 2, changed after 2.
    assertThat(result.output())
        .contains("enable OK ('ENABLED', [b'CONDSTORE'])")
        .contains("highest ('HIGHESTMODSEQ', [b'3'])")
        .contains("modseqs [b'1 (UID 1 FLAGS () MODSEQ (2))', b'2 (UID 2 FLAGS () MODSEQ (3))']")
        .contains("store OK [b'1 (UID 1 FLAGS (\\\\Seen) MODSEQ (4))']")
        .contains("changed [b'1 (UID 1 FLAGS (\\\\Seen) MODSEQ (4))']")
        .contains("search [b'1 (MODSEQ 4)']")
        .contains("status [b'\"INBOX\" (HIGHESTMODSEQ 4)']");
  }

  @Test
  void curlListsFetchesAndSearches() throws Exception {
    Path curl = ExternalTool.require("curl", "curl");
    String base = "imap://127.0.0.1:" + server.port();
    List<String> common = List.of(curl.toString(), "-s", "-S", "--max-time", "60", "--ssl-reqd", "-k", "-u", "bob:s3cret pass");
    Processes.Result message = Processes.run(concat(common, base + "/INBOX;UID=1"), Map.of(), null, work);
    assertThat(message.exit()).as(message.output()).isZero();
    assertThat(message.output()).isEqualTo(ImapDialogueTest.PLAIN);
    Processes.Result part = Processes.run(concat(common, base + "/INBOX;UID=2;SECTION=1"), Map.of(), null, work);
    assertThat(part.output()).isEqualTo("first part\r\nline two");
    Processes.Result list = Processes.run(concat(common, base + "/"), Map.of(), null, work);
    assertThat(list.output()).contains("* LIST (\\HasNoChildren) \".\" \"INBOX\"");
    Processes.Result search = Processes.run(concat(common, base + "/INBOX?SUBJECT%20plain"), Map.of(), null, work);
    assertThat(search.output()).contains("* SEARCH 1");
  }

  private static List<String> concat(List<String> head, String last) {
    return java.util.stream.Stream.concat(head.stream(), java.util.stream.Stream.of(last)).toList();
  }
}
