package io.vireo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code listen.pop3}, {@code pop3s}, {@code imap}, {@code imaps} and {@code mailbox}. */
class MailAccessConfigTest {

  private static ConfigException failure(String yaml) {
    try {
      ConfigLoader.parse(yaml, "vireo.yaml");
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected a ConfigException for:\n" + yaml);
  }

  @Test
  void offByDefaultWithTenMinutesAutologout() throws ConfigException {
    VireoConfig c = ConfigLoader.parse("", "vireo.yaml");
    assertThat(c.listen().pop3()).isEmpty();
    assertThat(c.listen().pop3s()).isEmpty();
    assertThat(c.listen().imap()).isEmpty();
    assertThat(c.listen().imaps()).isEmpty();
    assertThat(c.mailbox().pop3Autologout()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void readsEveryKeyAndResolvesTheDirectoryAgainstTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("conf/vireo.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        """
        listen:
          pop3: 127.0.0.1:1100
          pop3s: ["[::1]:0"]
          imap: [127.0.0.1:1430, 127.0.0.2:1430]
          imaps: 127.0.0.1:0
        tls:
          cert-file: cert.pem
          key-file: key.pem
        mailbox:
          dir: ../boxes
          pop3-autologout: 30m
        """);
    VireoConfig c = ConfigLoader.load(file);
    assertThat(c.listen().pop3()).containsExactly(new HostPort("127.0.0.1", 1100));
    assertThat(c.listen().pop3s()).containsExactly(new HostPort("::1", 0));
    assertThat(c.listen().imap())
        .containsExactly(new HostPort("127.0.0.1", 1430), new HostPort("127.0.0.2", 1430));
    assertThat(c.listen().imaps()).containsExactly(new HostPort("127.0.0.1", 0));
    assertThat(c.mailbox().dir()).isEqualTo(dir.resolve("boxes").toAbsolutePath().normalize());
    assertThat(c.mailbox().pop3Autologout()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void implicitTlsWithoutCertificateShortAutologoutAndSharedAddressesAreRefused() {
    ConfigException e =
        failure(
            """
            listen:
              smtp: 127.0.0.1:2525
              pop3: 127.0.0.1:2525
              pop3s: 127.0.0.1:995
              imaps: 127.0.0.1:993
            mailbox:
              pop3-autologout: 5m
            """);
    assertThat(e.problems())
        .extracting(ConfigProblem::key, ConfigProblem::message)
        .containsExactly(
            tuple("listen.pop3", "127.0.0.1:2525 is already used by listen.smtp"),
            tuple(
                "listen.pop3s",
                "implicit TLS needs a certificate: set tls.cert-file and tls.key-file"),
            tuple(
                "listen.imaps",
                "implicit TLS needs a certificate: set tls.cert-file and tls.key-file"),
            tuple("mailbox.pop3-autologout", "must be at least 10m (RFC 1939 section 3)"));
  }
}
