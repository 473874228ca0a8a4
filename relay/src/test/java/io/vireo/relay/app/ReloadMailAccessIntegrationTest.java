package io.vireo.relay.app;

import static io.vireo.relay.app.MailboxRelays.PASSWORD;
import static io.vireo.relay.app.MailboxRelays.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.config.ConfigLoader;
import io.vireo.relay.admin.ReloadResult;
import io.vireo.relay.auth.PasswordHashing;
import io.vireo.relay.auth.UsersFile;
import io.vireo.relay.testing.PemCertificate;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload that points {@code auth.users-file} or {@code tls.cert-file} at other files reaches the
 * running POP3 and IMAP listeners as it reaches SMTP: the next login is checked against the new
 * users file, the next handshake (STARTTLS or implicit TLS) uses the new certificate, the next
 * connection trusts the balancers {@code listen.proxy-from} names.
 */
class ReloadMailAccessIntegrationTest {
  private static final String BOB = "bob@example.com";
  private static final String BOB_PASSWORD = "bob's pass";

  @TempDir Path dir;

  @Test
  void imapAndPop3LoginsFollowAReloadedUsersFile() throws Exception {
    MailboxRelays.Credentials alice =
        MailboxRelays.credentials(Files.createDirectory(dir.resolve("alice")));
    // The same certificate, another users file listing bob only.
    Path bobsFile = dir.resolve("bob-users");
    UsersFile.empty()
        .with(
            BOB,
            new PasswordHashing()
                .hash(PasswordHashing.octets(BOB_PASSWORD), PasswordHashing.DEFAULT_COST))
        .write(bobsFile);
    PemCertificate certificate = alice.certificate();
    Path file = dir.resolve("vireo.yaml");
    Files.writeString(file, MailboxRelays.yaml(dir, alice, ""));
    try (Relay relay = Relay.start(ConfigLoader.load(file), file)) {
      login(relay, "imap", certificate, USER, PASSWORD);
      login(relay, "pop3s", certificate, USER, PASSWORD);
      assertThatThrownBy(() -> login(relay, "imap", certificate, BOB, BOB_PASSWORD))
          .isInstanceOf(AuthenticationFailedException.class);

      Files.writeString(
          file, MailboxRelays.yaml(dir, new MailboxRelays.Credentials(certificate, bobsFile), ""));
      ReloadResult result = relay.reload();
      assertThat(result).isInstanceOf(ReloadResult.Applied.class);
      assertThat(((ReloadResult.Applied) result).changed()).containsExactly("auth");
      assertThat(((ReloadResult.Applied) result).restartRequired()).isEmpty();

      login(relay, "imap", certificate, BOB, BOB_PASSWORD);
      login(relay, "pop3s", certificate, BOB, BOB_PASSWORD);
      assertThatThrownBy(() -> login(relay, "imap", certificate, USER, PASSWORD))
          .isInstanceOf(AuthenticationFailedException.class);
      assertThatThrownBy(() -> login(relay, "pop3s", certificate, USER, PASSWORD))
          .isInstanceOf(AuthenticationFailedException.class);
    }
  }

  @Test
  void imapStartTlsAndPop3sServeAReloadedCertificatePath() throws Exception {
    MailboxRelays.Credentials first =
        MailboxRelays.credentials(Files.createDirectory(dir.resolve("first")));
    PemCertificate second =
        MailboxRelays.credentials(Files.createDirectory(dir.resolve("second"))).certificate();
    Path file = dir.resolve("vireo.yaml");
    Files.writeString(file, MailboxRelays.yaml(dir, first, ""));
    try (Relay relay = Relay.start(ConfigLoader.load(file), file)) {
      login(relay, "imap", first.certificate(), USER, PASSWORD);

      Files.writeString(
          file,
          MailboxRelays.yaml(dir, new MailboxRelays.Credentials(second, first.usersFile()), ""));
      ReloadResult result = relay.reload();
      assertThat(result).isInstanceOf(ReloadResult.Applied.class);
      assertThat(((ReloadResult.Applied) result).changed()).containsExactly("tls");

      // Each client trusts only the certificate named: the handshake shows which one is served.
      login(relay, "imap", second, USER, PASSWORD);
      login(relay, "pop3s", second, USER, PASSWORD);
      assertThatThrownBy(() -> login(relay, "imap", first.certificate(), USER, PASSWORD))
          .isInstanceOf(MessagingException.class)
          .hasStackTraceContaining("SSLHandshakeException");
    }
  }

  @Test
  void aReloadCannotTakeTheCertificateFromUnderTheRunningPop3sListener() throws Exception {
    MailboxRelays.Credentials credentials =
        MailboxRelays.credentials(Files.createDirectory(dir.resolve("credentials")));
    Path file = dir.resolve("vireo.yaml");
    String yaml = MailboxRelays.yaml(dir, credentials, "");
    Files.writeString(file, yaml);
    try (Relay relay = Relay.start(ConfigLoader.load(file), file)) {
      // A file without POP3S and without a certificate passes the check on its own, but the
      // POP3S listener stays bound until a restart.
      String tls =
          "tls:\n  cert-file: \"%s\"\n  key-file: \"%s\"\n"
              .formatted(credentials.certificate().certFile(), credentials.certificate().keyFile());
      assertThat(yaml).contains(tls).contains("  pop3s: 127.0.0.1:0\n");
      Files.writeString(file, yaml.replace(tls, "").replace("  pop3s: 127.0.0.1:0\n", ""));
      ReloadResult result = relay.reload();
      assertThat(result).isInstanceOf(ReloadResult.Refused.class);
      assertThat(((ReloadResult.Refused) result).message()).contains("POP3S/IMAPS", "tls.cert-file");
      login(relay, "pop3s", credentials.certificate(), USER, PASSWORD);
    }
  }

  @Test
  // listen.proxy-from follows a reload for POP3 and IMAP as for SMTP: until a reload names this
  // address, a PROXY header is just an unknown command; after it, the header is read before the
  // greeting and the session goes on.
  void pop3TrustsTheBalancersAReloadNames() throws Exception {
    MailboxRelays.Credentials credentials =
        MailboxRelays.credentials(Files.createDirectory(dir.resolve("credentials")));
    Path file = dir.resolve("vireo.yaml");
    String yaml = MailboxRelays.yaml(dir, credentials, "");
    Files.writeString(file, yaml);
    try (Relay relay = Relay.start(ConfigLoader.load(file), file)) {
      assertThat(replyAfterProxyHeader(MailboxRelays.pop3(relay))).startsWith("-ERR");

      Files.writeString(
          file, yaml.replace("  imap: 127.0.0.1:0\n", "  imap: 127.0.0.1:0\n  proxy-from: [127.0.0.1/32]\n"));
      ReloadResult result = relay.reload();
      assertThat(result).isInstanceOf(ReloadResult.Applied.class);
      assertThat(((ReloadResult.Applied) result).changed()).containsExactly("listen.proxy-from");

      assertThat(replyAfterProxyHeader(MailboxRelays.pop3(relay))).startsWith("+OK");
    }
  }

  /** Sends a PROXY v1 header then QUIT; answers the line after the greeting. */
  private static String replyAfterProxyHeader(InetSocketAddress address) throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(address, 10_000);
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write("PROXY TCP4 203.0.113.9 127.0.0.1 40000 110\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
      BufferedReader in =
          new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      assertThat(in.readLine()).as("greeting").startsWith("+OK");
      return String.valueOf(in.readLine());
    }
  }

  /**
   * One connection, LOGIN (or USER/PASS), LOGOUT (QUIT): {@code imap} after STARTTLS (required),
   * {@code pop3s} on the implicit-TLS listener; TLS trusting {@code certificate} only.
   */
  private static void login(
      Relay relay, String protocol, PemCertificate certificate, String user, String password)
      throws Exception {
    String prefix = "mail." + protocol + ".";
    InetSocketAddress address =
        protocol.equals("imap") ? MailboxRelays.imap(relay) : MailboxRelays.pop3s(relay);
    Properties properties = new Properties();
    properties.put(prefix + "host", "127.0.0.1");
    properties.put(prefix + "port", String.valueOf(address.getPort()));
    if (protocol.equals("imap")) {
      properties.put(prefix + "starttls.enable", "true");
      properties.put(prefix + "starttls.required", "true");
    }
    properties.put(
        prefix + "ssl.socketFactory", certificate.trustingClientContext().getSocketFactory());
    properties.put(prefix + "connectiontimeout", "30000");
    properties.put(prefix + "timeout", "30000");
    Store store = Session.getInstance(properties).getStore(protocol);
    store.connect(user, password);
    try {
      assertThat(store.isConnected()).isTrue();
    } finally {
      store.close();
    }
  }
}
