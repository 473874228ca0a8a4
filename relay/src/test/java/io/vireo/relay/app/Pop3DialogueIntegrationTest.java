package io.vireo.relay.app;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import static io.vireo.relay.app.MailboxRelays.FIRST;
import static io.vireo.relay.app.MailboxRelays.PASSWORD;
import static io.vireo.relay.app.MailboxRelays.SECOND;
import static io.vireo.relay.app.MailboxRelays.USER;

import io.vireo.config.ConfigLoader;
import io.vireo.relay.testing.Pop3TestClient;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POP3 against the real relay on ephemeral loopback ports, as transcripts in the manner of RFC
 * 1939's examples: STLS first (logins wait for TLS, {@code auth.require-tls}), USER/PASS and AUTH
 * PLAIN, STAT, LIST, UIDL, TOP, RETR (dot-stuffed), DELE, RSET, and deletions only on QUIT
 * ({@link MailboxRelays} puts the messages into the Maildir).
 */
class Pop3DialogueIntegrationTest {
  @TempDir static Path shared;
  static MailboxRelays.Credentials credentials;

  @TempDir Path dir;
  Relay relay;

  @BeforeAll
  static void makeCertificateAndUsers() throws Exception {
    credentials = MailboxRelays.credentials(shared);
  }

  @BeforeEach
  void start() throws Exception {
    MailboxRelays.deliverTwo(dir);
    relay = Relay.start(ConfigLoader.parse(MailboxRelays.yaml(dir, credentials, ""), "pop3-test.yaml"));
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  private static InetSocketAddress pop3(Relay relay) {
    return MailboxRelays.pop3(relay);
  }

  private static InetSocketAddress pop3s(Relay relay) {
    return MailboxRelays.pop3s(relay);
  }

  private SSLContext trusting() throws Exception {
    return credentials.certificate().trustingClientContext();
  }

  /** Reads the greeting, sends USER and PASS; the caller reads PASS's reply. */
  static void login(Pop3TestClient c) throws java.io.IOException {
    c.expect("+OK");
    c.send("USER " + USER);
    c.expect("+OK");
    c.send("PASS " + PASSWORD);
  }

  private int messagesLeft() throws Exception {
    return MailboxRelays.messagesLeft(dir);
  }
  @Test
  void rfc1939SessionAfterStls() throws Exception {
    try (Pop3TestClient c = Pop3TestClient.connect(pop3(relay))) {
      c.expect("+OK mail.test POP3");
      c.send("CAPA");
      c.expect("+OK");
      List<String> plainCapabilities = c.readMultiLine();
      assertThat(plainCapabilities).contains("STLS", "UIDL", "TOP", "PIPELINING", "RESP-CODES");
      assertThat(plainCapabilities).doesNotContain("USER", "SASL PLAIN");
      c.send("USER " + USER);
      c.expect("-ERR [AUTH] Plaintext authentication disallowed");
      c.send("STAT");
      c.expect("-ERR command not valid in this state");
      c.send("STLS");
      c.expect("+OK Begin TLS negotiation");
      c.startTls(trusting());
      c.send("CAPA");
      c.expect("+OK");
      List<String> tlsCapabilities = c.readMultiLine();
      assertThat(tlsCapabilities).contains("USER", "SASL PLAIN").doesNotContain("STLS");
      c.send("USER " + USER);
      c.expect("+OK");
      c.send("PASS wrong");
      c.expect("-ERR [AUTH] invalid user name or password");
      c.send("PASS " + PASSWORD);
      c.expect("-ERR send USER first");
      c.send("USER " + USER);
      c.expect("+OK");
      c.send("PASS " + PASSWORD);
      c.expect("+OK logged in, 2 messages");
      c.send("STAT");
      long total = FIRST.length() + SECOND.length();
      c.expect("+OK 2 " + total);
      c.send("LIST");
      c.expect("+OK 2 messages");
      assertThat(c.readMultiLine()).containsExactly("1 " + FIRST.length(), "2 " + SECOND.length());
      c.send("LIST 2");
      c.expect("+OK 2 " + SECOND.length());
      c.send("LIST 3");
      c.expect("-ERR no such message");
      c.send("UIDL");
      c.expect("+OK");
      List<String> uids = c.readMultiLine();
      assertThat(uids).hasSize(2).allMatch(line -> line.matches("[12] [0-9A-F]{16}"));
      c.send("TOP 2 1");
      c.expect("+OK");
      assertThat(c.readMultiLine())
          .containsExactly(
              "From: bob@example.net", "To: alice@example.com", "Subject: second", "", "line one");
      c.send("RETR 2");
      c.expect("+OK " + SECOND.length() + " octets");
      assertThat(String.join("\r\n", c.readMultiLine()) + "\r\n").isEqualTo(SECOND);
      c.send("DELE 1");
      c.expect("+OK");
      c.send("RETR 1");
      c.expect("-ERR message already deleted");
      c.send("STAT");
      c.expect("+OK 1 " + SECOND.length());
      c.send("RSET");
      c.expect("+OK maildrop has 2 messages");
      c.send("DELE 1");
      c.expect("+OK");
      c.send("NOOP");
      c.expect("+OK");
      assertThat(messagesLeft()).as("nothing removed before QUIT").isEqualTo(2);
      c.send("QUIT");
      c.expect("+OK mail.test POP3 signing off");
      assertThat(c.closedByServer()).isTrue();
    }
    assertThat(messagesLeft()).isEqualTo(1);
  }

  @Test
  void authPlainWithAndWithoutInitialResponseOverImplicitTls() throws Exception {
    String plain =
        Base64.getEncoder().encodeToString(("\0" + USER + "\0" + PASSWORD).getBytes(US_ASCII));
    try (Pop3TestClient c = Pop3TestClient.connectTls(pop3s(relay), trusting())) {
      c.expect("+OK");
      c.send("AUTH PLAIN");
      c.expect("+ ");
      c.send("*");
      c.expect("-ERR authentication cancelled");
      c.send("AUTH CRAM-MD5");
      c.expect("-ERR unsupported SASL mechanism");
      c.send("AUTH PLAIN");
      c.expect("+ ");
      c.send(plain);
      c.expect("+OK logged in, 2 messages");
      c.send("QUIT");
      c.expect("+OK");
    }
    try (Pop3TestClient c = Pop3TestClient.connectTls(pop3s(relay), trusting())) {
      c.expect("+OK");
      c.send("AUTH PLAIN " + plain);
      c.expect("+OK logged in");
    }
  }

  @Test
  void aSecondSessionFindsTheMaildropInUseUntilTheFirstEnds() throws Exception {
    try (Pop3TestClient first = Pop3TestClient.connectTls(pop3s(relay), trusting())) {
      login(first);
      first.expect("+OK logged in");
      first.send("DELE 1");
      first.expect("+OK");
      try (Pop3TestClient second = Pop3TestClient.connectTls(pop3s(relay), trusting())) {
        login(second);
        second.expect("-ERR [IN-USE]");
      }
      // A hang-up is no QUIT: no UPDATE state, the mark is dropped (RFC 1939 section 6).
    }
    try (Pop3TestClient again = Pop3TestClient.connectTls(pop3s(relay), trusting())) {
      login(again);
      // The lock is released when the first session's thread ends: retried until then.
      String reply = again.read();
      for (int i = 0; i < 50 && reply.startsWith("-ERR [IN-USE]"); i++) {
        again.send("USER " + USER);
        again.expect("+OK");
        again.send("PASS " + PASSWORD);
        reply = again.read();
      }
      assertThat(reply).startsWith("+OK logged in, 2 messages");
    }
  }

  @Test
  void badInputGetsErrAndTheSessionGoesOn() throws Exception {
    try (Pop3TestClient c = Pop3TestClient.connect(pop3(relay))) {
      c.expect("+OK");
      c.send("x".repeat(300));
      c.expect("-ERR line too long");
      c.sendRaw("NOOP\n");
      c.expect("-ERR lines end with CRLF");
      c.send("HELO there");
      c.expect("-ERR unknown command");
      c.send("RETR one");
      c.expect("-ERR usage: RETR msg");
      c.send("CAPA");
      c.expect("+OK");
      assertThat(c.readMultiLine()).contains("STLS");
      c.send("QUIT");
      c.expect("+OK");
    }
  }

  @Test
  void plaintextPipelinedBehindStlsIsDiscardedNotRun() throws Exception {
    try (Pop3TestClient c = Pop3TestClient.connect(pop3(relay))) {
      c.expect("+OK");
      // An attacker's injected commands behind STLS must not run inside TLS (CVE-2011-0411).
      c.sendRaw("STLS\r\nUSER " + USER + "\r\n");
      c.expect("+OK Begin TLS negotiation");
      c.startTls(trusting());
      c.send("PASS " + PASSWORD);
      c.expect("-ERR send USER first");
    }
  }
}
