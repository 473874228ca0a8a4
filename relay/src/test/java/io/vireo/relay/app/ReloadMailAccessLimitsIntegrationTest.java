package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigLoader;
import io.vireo.relay.admin.ReloadResult;
import io.vireo.relay.testing.Pop3TestClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload reaches what the running POP3 and IMAP listeners admit and ask for as it reaches SMTP:
 * {@code limits.max-connections} and {@code max-connections-per-ip} at the next admission, {@code
 * auth.require-tls} and the other {@code limits} (here {@code max-errors}) at the next connection.
 */
class ReloadMailAccessLimitsIntegrationTest {
  private static final String PER_ADDRESS = "too many connections from your address";
  private static final String TOTAL = "too many connections, try again later";

  @TempDir Path dir;

  private final List<Socket> open = new ArrayList<>();

  @Test
  void pop3AndImapConnectionLimitsFollowAReload() throws Exception {
    MailboxRelays.Credentials credentials =
        MailboxRelays.credentials(Files.createDirectory(dir.resolve("credentials")));
    Path file = dir.resolve("vireo.yaml");
    Files.writeString(
        file, MailboxRelays.yaml(dir, credentials, "limits:\n  max-connections-per-ip: 1\n"));
    try (Relay relay = Relay.start(ConfigLoader.load(file), file)) {
      InetSocketAddress pop3 = MailboxRelays.pop3(relay);
      InetSocketAddress imap = MailboxRelays.imap(relay);
      assertThat(greeting(pop3)).startsWith("+OK");
      assertThat(greeting(pop3)).isEqualTo("-ERR [SYS/TEMP] " + PER_ADDRESS);
      assertThat(greeting(imap)).startsWith("* OK");
      assertThat(greeting(imap)).isEqualTo("* BYE [UNAVAILABLE] " + PER_ADDRESS);

      // Two per address now, and two in all: the second connection is let in, a third hits the
      // total.
      Files.writeString(
          file,
          MailboxRelays.yaml(
              dir, credentials, "limits:\n  max-connections: 2\n  max-connections-per-ip: 2\n"));
      ReloadResult result = relay.reload();
      assertThat(result).isInstanceOf(ReloadResult.Applied.class);
      assertThat(((ReloadResult.Applied) result).changed()).containsExactly("limits");

      assertThat(greeting(pop3)).startsWith("+OK");
      assertThat(greeting(pop3)).isEqualTo("-ERR [SYS/TEMP] " + TOTAL);
      assertThat(greeting(imap)).startsWith("* OK");
      assertThat(greeting(imap)).isEqualTo("* BYE [UNAVAILABLE] " + TOTAL);
    } finally {
      closeAll();
    }
  }

  @Test
  // An operator who turns auth.require-tls on means passwords in clear stop at once: the next
  // POP3 or IMAP connection wants TLS first, without a restart.
  void pop3AndImapFollowAReloadedRequireTls() throws Exception {
    MailboxRelays.Credentials credentials =
        MailboxRelays.credentials(Files.createDirectory(dir.resolve("credentials")));
    Path file = dir.resolve("vireo.yaml");
    String required = MailboxRelays.yaml(dir, credentials, "");
    String usersFile = "  users-file: \"%s\"\n".formatted(credentials.usersFile());
    assertThat(required).contains("auth:\n" + usersFile);
    Files.writeString(file, required.replace(usersFile, usersFile + "  require-tls: false\n"));
    try (Relay relay = Relay.start(ConfigLoader.load(file), file)) {
      assertThat(pop3LoginInClear(MailboxRelays.pop3(relay))).startsWith("+OK");
      assertThat(greeting(MailboxRelays.imap(relay)))
          .contains("AUTH=PLAIN")
          .doesNotContain("LOGINDISABLED");

      Files.writeString(file, required);
      ReloadResult result = relay.reload();
      assertThat(result).isInstanceOf(ReloadResult.Applied.class);
      assertThat(((ReloadResult.Applied) result).changed()).containsExactly("auth");
      assertThat(((ReloadResult.Applied) result).restartRequired()).isEmpty();

      assertThat(pop3LoginInClear(MailboxRelays.pop3(relay))).startsWith("-ERR [AUTH]");
      assertThat(greeting(MailboxRelays.imap(relay)))
          .contains("LOGINDISABLED")
          .doesNotContain("AUTH=PLAIN");
    } finally {
      closeAll();
    }
  }

  @Test
  void pop3FollowsAReloadedErrorLimit() throws Exception {
    MailboxRelays.Credentials credentials =
        MailboxRelays.credentials(Files.createDirectory(dir.resolve("credentials")));
    Path file = dir.resolve("vireo.yaml");
    Files.writeString(file, MailboxRelays.yaml(dir, credentials, "limits:\n  max-errors: 2\n"));
    try (Relay relay = Relay.start(ConfigLoader.load(file), file)) {
      assertThat(unknownCommandsAnswered(MailboxRelays.pop3(relay))).isEqualTo(2);

      Files.writeString(file, MailboxRelays.yaml(dir, credentials, "limits:\n  max-errors: 5\n"));
      assertThat(relay.reload()).isInstanceOf(ReloadResult.Applied.class);
      assertThat(unknownCommandsAnswered(MailboxRelays.pop3(relay))).isEqualTo(5);
    }
  }

  /** How many unknown commands get their {@code -ERR} before the session ends (at most 20). */
  private static int unknownCommandsAnswered(InetSocketAddress address) throws IOException {
    try (Pop3TestClient client = Pop3TestClient.connect(address)) {
      client.expect("+OK");
      for (int answered = 0; answered < 20; answered++) {
        client.send("XYZZY");
        String reply = client.read();
        if (reply == null || !reply.startsWith("-ERR") || reply.contains("too many")) {
          return answered;
        }
      }
      return 20;
    }
  }

  /** USER and PASS without TLS; answers the reply to the first of them that is not {@code +OK}. */
  private static String pop3LoginInClear(InetSocketAddress address) throws IOException {
    try (Pop3TestClient client = Pop3TestClient.connect(address)) {
      client.expect("+OK");
      client.send("USER " + MailboxRelays.USER);
      String user = client.read();
      if (!user.startsWith("+OK")) {
        return user;
      }
      client.send("PASS " + MailboxRelays.PASSWORD);
      return client.read();
    }
  }

  /** Connects, keeps the connection open until the test ends, and answers the first line. */
  private String greeting(InetSocketAddress address) throws IOException {
    Socket socket = new Socket();
    open.add(socket);
    socket.connect(address, 10_000);
    socket.setSoTimeout(10_000);
    BufferedReader in =
        new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    return String.valueOf(in.readLine());
  }

  private void closeAll() throws IOException {
    for (Socket socket : open) {
      socket.close();
    }
    open.clear();
  }
}
