package io.vireo.relay.app;

import static io.vireo.relay.app.MailboxRelays.PASSWORD;
import static io.vireo.relay.app.MailboxRelays.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.config.ConfigLoader;
import io.vireo.relay.auth.PasswordHashing;
import io.vireo.relay.auth.UsersFile;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auth.cache-ttl} over the real IMAP listener (the default 5 minutes): the same user logs in
 * again and again, and a password changed with the users file is in force at the next login, the
 * remembered one refused at once.
 */
class LoginCacheIntegrationTest {
  @TempDir Path dir;
  private MailboxRelays.Credentials credentials;
  private Relay relay;

  @BeforeEach
  void start() throws Exception {
    credentials = MailboxRelays.credentials(Files.createDirectory(dir.resolve("credentials")));
    relay = Relay.start(ConfigLoader.parse(MailboxRelays.yaml(dir, credentials, ""), "cache.yaml"));
  }

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.close();
    }
  }

  @Test
  void repeatedImapLoginsSucceedAndAChangedPasswordTakesEffectAtOnce() throws Exception {
    for (int i = 0; i < 3; i++) {
      login(PASSWORD);
    }

    Path usersFile = credentials.usersFile();
    UsersFile.read(usersFile)
        .with(
            USER,
            new PasswordHashing()
                .hash(PasswordHashing.octets("new pass"), PasswordHashing.DEFAULT_COST))
        .write(usersFile);
    // A rewrite within the file system's clock tick must still be seen as a change.
    Files.setLastModifiedTime(usersFile, FileTime.from(Instant.now().plusSeconds(2)));

    assertThatThrownBy(() -> login(PASSWORD)).isInstanceOf(AuthenticationFailedException.class);
    login("new pass");
    login("new pass");
  }

  /** One IMAP connection: STARTTLS (required), LOGIN, LOGOUT. */
  private void login(String password) throws Exception {
    Properties properties = new Properties();
    properties.put("mail.imap.host", "127.0.0.1");
    properties.put("mail.imap.port", String.valueOf(MailboxRelays.imap(relay).getPort()));
    properties.put("mail.imap.starttls.enable", "true");
    properties.put("mail.imap.starttls.required", "true");
    properties.put(
        "mail.imap.ssl.socketFactory",
        credentials.certificate().trustingClientContext().getSocketFactory());
    properties.put("mail.imap.connectiontimeout", "30000");
    properties.put("mail.imap.timeout", "30000");
    Store store = Session.getInstance(properties).getStore("imap");
    store.connect(USER, password);
    try {
      assertThat(store.isConnected()).isTrue();
    } finally {
      store.close();
    }
  }
}
