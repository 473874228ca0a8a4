package io.vireo.mailbox.imap;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.mailbox.store.MailStore;
import io.vireo.mailbox.testing.AccessServer;
import io.vireo.mailbox.testing.ImapTestClient;
import io.vireo.mailbox.testing.TestLogins;
import io.vireo.mailbox.testing.TestTls;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STARTTLS (RFC 9051 section 6.2.1) and LOGINDISABLED before it when logins require TLS. */
class ImapStartTlsTest {
  @TempDir static Path root;
  static TestTls tls;
  static AccessServer server;

  @BeforeAll
  static void start() throws Exception {
    tls = TestTls.generate(root);
    MailStore store = new MailStore(root.resolve("mail"), Clock.systemUTC(), "test.example");
    ImapSettings settings = ImapSettings.defaults("imap.test", Clock.systemUTC());
    server =
        new AccessServer(() -> new ImapSession(store, new TestLogins(Map.of("bob", "secret")), settings), tls.server());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void loginIsRefusedBeforeTlsAndPipelinedPlaintextIsDropped() throws Exception {
    try (ImapTestClient c = new ImapTestClient(server.port())) {
      assertThat(c.line()).contains("STARTTLS", "LOGINDISABLED").doesNotContain("AUTH=PLAIN");
      assertThat(c.command("t1", "LOGIN bob secret").getLast()).isEqualTo("t1 NO [PRIVACYREQUIRED] Use STARTTLS first");
      assertThat(c.command("t2", "AUTHENTICATE PLAIN AGJvYgBzZWNyZXQ=").getLast())
          .isEqualTo("t2 NO [PRIVACYREQUIRED] Use STARTTLS first");
      // A command injected behind STARTTLS in the same packet must not run inside TLS (CVE-2011-0411).
      c.sendRaw("t3 STARTTLS\r\nt4 LOGIN bob secret\r\n".getBytes(US_ASCII));
      assertThat(c.line()).isEqualTo("t3 OK Begin TLS negotiation now");
      c.startTls(tls.client());
      assertThat(c.command("t5", "CAPABILITY"))
          .satisfies(lines -> assertThat(lines.getFirst()).contains("AUTH=PLAIN").doesNotContain("STARTTLS", "LOGINDISABLED"))
          .last().isEqualTo("t5 OK CAPABILITY completed");
      assertThat(c.command("t6", "SELECT INBOX").getLast()).isEqualTo("t6 BAD Log in first");
      assertThat(c.command("t7", "LOGIN bob secret").getLast()).startsWith("t7 OK");
      assertThat(c.command("t8", "STARTTLS").getLast()).isEqualTo("t8 BAD TLS is not available here");
    }
  }
}
