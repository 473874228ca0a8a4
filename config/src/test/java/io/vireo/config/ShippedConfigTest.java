package io.vireo.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The config/vireo.yaml shipped beside this module is the documented default, key for key. */
class ShippedConfigTest {
  private static final Path SHIPPED =
      Path.of(System.getProperty("basedir", ".")).resolve("vireo.yaml");

  @Test
  void shippedFileLoadsToExactlyTheDefaultsApartFromWhereTheSpoolIs() throws Exception {
    VireoConfig shipped = ConfigLoader.parse(Files.readString(SHIPPED), SHIPPED.toString());
    VireoConfig defaults = ConfigLoader.defaults();
    // Written relative to config/, it is the same data/spool of the installation.
    assertThat(shipped.spool().dir()).isEqualTo(Path.of("../data/spool"));
    assertThat(ConfigLoader.load(SHIPPED).spool().dir())
        .isEqualTo(SHIPPED.toAbsolutePath().getParent().getParent().resolve("data/spool"));
    // The mailboxes likewise: data/mailboxes of the installation.
    assertThat(shipped.mailbox().dir()).isEqualTo(Path.of("../data/mailboxes"));
    assertThat(shipped)
        .isEqualTo(
            new VireoConfig(
                    defaults.hostname(),
                    defaults.listen(),
                    new SpoolConfig(
                        shipped.spool().dir(),
                        defaults.spool().sync(),
                        defaults.spool().minFreeSpace()),
                    defaults.limits(),
                    defaults.relay(),
                    defaults.delivery())
                .withMailbox(
                    defaults.listen(),
                    new MailboxConfig(
                        shipped.mailbox().dir(), defaults.mailbox().pop3Autologout())));
  }

  @Test
  void shippedFileWritesEveryKeyWithACommentAbove() throws Exception {
    String shipped = Files.readString(SHIPPED);
    String rendered = ConfigPrinter.render(ConfigLoader.defaults());
    Pattern leafKey = Pattern.compile("^\\s*([a-z-]+): \\S.*$");
    for (String line : rendered.lines().toList()) {
      var m = leafKey.matcher(line);
      if (m.matches()) {
        assertThat(shipped)
            .as("key %s is written out", m.group(1))
            .containsPattern("(?m)^\\s*" + m.group(1) + ":");
        assertThat(shipped)
            .as("key %s has a comment on the line above", m.group(1))
            .containsPattern("(?m)^\\s*#.*\\n\\s*" + m.group(1) + ":");
      }
    }
  }
}
