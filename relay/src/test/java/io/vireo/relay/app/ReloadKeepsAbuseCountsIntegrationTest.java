package io.vireo.relay.app;

import static io.vireo.relay.app.MailboxRelays.PASSWORD;
import static io.vireo.relay.app.MailboxRelays.USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigLoader;
import io.vireo.config.VireoConfig;
import io.vireo.relay.admin.ReloadResult;
import io.vireo.relay.testing.PemCertificate;
import io.vireo.relay.testing.RelayExtension;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A reload is no way out of the abuse limits: a client throttled for guessing passwords stays
 * throttled, and a sender at its per-minute quota stays there, across a reload that changes
 * something else; a changed quota applies to what the sender has already used.
 */
class ReloadKeepsAbuseCountsIntegrationTest {
  private static final String QUOTA_REFUSED = "4.7.1";

  @RegisterExtension final RelayExtension relays = new RelayExtension();

  @Test
  void aClientThrottledForGuessingStaysThrottledAfterACertificateRenewal() throws Exception {
    MailboxRelays.Credentials first =
        MailboxRelays.credentials(Files.createDirectory(relays.dir().resolve("first")));
    PemCertificate renewed =
        MailboxRelays.credentials(Files.createDirectory(relays.dir().resolve("renewed")))
            .certificate();
    Relay relay = relays.start(TestRelays.PARKED_DELIVERY, auth(first.certificate(), first));
    try (SmtpTestClient client = relays.client()) {
      client.send("EHLO client.test").expect(250);
      client.send("AUTH PLAIN " + plain(USER, "guess one")).expect(535, "5.7.8");
      client.send("AUTH PLAIN " + plain(USER, "guess two")).expect(535, "5.7.8");
      client.send("AUTH PLAIN " + plain(USER, PASSWORD)).expect(454, "4.7.0");
    }

    // A renewed certificate at another path: the tls section changes, the throttle's does not.
    ReloadResult result = relay.reload(config(auth(renewed, first)));
    assertThat(result).isInstanceOf(ReloadResult.Applied.class);
    assertThat(((ReloadResult.Applied) result).changed()).containsExactly("tls");

    try (SmtpTestClient client = relays.client()) {
      client.send("EHLO client.test").expect(250);
      client.send("AUTH PLAIN " + plain(USER, PASSWORD)).expect(454, "4.7.0");
    }
  }

  @Test
  void aSenderAtItsQuotaStaysThereAndAChangedQuotaCountsWhatWasUsed() throws Exception {
    Relay relay =
        relays.start(TestRelays.PARKED_DELIVERY, "limits:\n  messages-per-minute-per-ip: 2\n");
    try (SmtpTestClient client = relays.client()) {
      client.send("EHLO client.test").expect(250);
      mail(client).expect(250);
      client.send("RSET").expect(250);
      mail(client).expect(250);
      client.send("RSET").expect(250);
      mail(client).expect(450, QUOTA_REFUSED);
    }

    ReloadResult unrelated =
        relay.reload(
            config("limits:\n  messages-per-minute-per-ip: 2\n  max-recipients: 500\n"));
    assertThat(unrelated).isInstanceOf(ReloadResult.Applied.class);
    assertThat(((ReloadResult.Applied) unrelated).changed()).containsExactly("limits");
    try (SmtpTestClient client = relays.client()) {
      client.send("EHLO client.test").expect(250);
      mail(client).expect(450, QUOTA_REFUSED);
    }

    // Three a minute now: two of them used, one left.
    assertThat(relay.reload(config("limits:\n  messages-per-minute-per-ip: 3\n")))
        .isInstanceOf(ReloadResult.Applied.class);
    try (SmtpTestClient client = relays.client()) {
      client.send("EHLO client.test").expect(250);
      mail(client).expect(250);
      client.send("RSET").expect(250);
      mail(client).expect(450, QUOTA_REFUSED);
    }
  }

  /** Sends MAIL FROM; the caller reads the reply. */
  private static SmtpTestClient mail(SmtpTestClient client) throws Exception {
    return client.send("MAIL FROM:<sender@example.com>");
  }

  /** TLS and AUTH without TLS first (so the test speaks in clear), throttled after 2 failures. */
  private static String auth(PemCertificate certificate, MailboxRelays.Credentials users) {
    return """
        tls:
          cert-file: "%s"
          key-file: "%s"
        auth:
          users-file: "%s"
          require-tls: false
          throttle-after: 2
          throttle-delay: 10m
          lockout-after: 10
        """
        .formatted(certificate.certFile(), certificate.keyFile(), users.usersFile());
  }

  private VireoConfig config(String extra) throws Exception {
    return ConfigLoader.parse(
        TestRelays.yaml(relays.dir().resolve("spool"), TestRelays.PARKED_DELIVERY, extra),
        "test.yaml");
  }

  private static String plain(String user, String password) {
    return Base64.getEncoder()
        .encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
  }
}
