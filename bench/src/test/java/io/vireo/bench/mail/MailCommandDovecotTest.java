package io.vireo.bench.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bin/bench mail} against a real, private Dovecot serving a generated 40-message Maildir: every
 * workload must see every message, the octets the generator wrote (with CRLF line ends), and the
 * search hits it planted.
 */
class MailCommandDovecotTest {
  private static final int MESSAGES = 40;
  @TempDir static Path dir;
  private static HarnessDovecot dovecot;

  @BeforeAll
  static void startDovecot() throws Exception {
    dovecot = HarnessDovecot.start(dir, MESSAGES);
  }

  @AfterAll
  static void stopDovecot() throws Exception {
    if (dovecot != null) {
      dovecot.close();
    }
  }

  private static long summary(String pattern) {
    Matcher m = Pattern.compile(pattern).matcher(dovecot.maildirSummary);
    assertThat(m.find()).as(dovecot.maildirSummary).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static String mail(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new MailCommand());
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int exit = command.execute(args);
    assertThat(exit).as(out + " " + err).isZero();
    return out.toString().strip();
  }

  private static String[] imap(String workload, String... more) {
    String[] base = {workload, "--port", Integer.toString(dovecot.imapPort), "--user", HarnessDovecot.USER,
        "--password", HarnessDovecot.PASSWORD, "--timeout", "60s"};
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void envelopesOfEveryMessage() {
    String json = mail(imap("envelopes", "--repeat", "2"));

    assertThat(json).contains("\"messages\":" + MESSAGES + ",", "\"repeat\":2,", "\"times_ms\":[");
  }

  @Test
  void bodiesAreTheGeneratedOctetsWithCrlfLineEnds() {
    String json = mail(imap("bodies", "--repeat", "1"));

    assertThat(json).contains("\"octets\":" + summary("\"octets_crlf\": (\\d+)") + ",");
  }

  @Test
  void searchesFindWhatTheGeneratorPlanted() {
    long from = summary("\"from\": \\{\"key\": \"quill.ortega\", \"expected\": (\\d+)");
    long body = summary("\"body\": \\{\"key\": \"zephyrine\", \"expected\": (\\d+)");

    String json = mail(imap("search", "--repeat", "1", "--search", "FROM \"quill.ortega\"",
        "--search", "BODY \"zephyrine\"", "--search", "SUBJECT \"no-such-subject-anywhere\""));

    assertThat(json).contains("\"hits\":[" + from + "," + body + ",0]");
  }

  @Test
  void pop3RetrievesEveryMessageWithCrlfLineEnds() {
    String json = mail("retr", "--port", Integer.toString(dovecot.pop3Port), "--user", HarnessDovecot.USER,
        "--password", HarnessDovecot.PASSWORD, "--repeat", "1");

    assertThat(json).contains("\"messages\":" + MESSAGES + ",", "\"octets\":" + summary("\"octets_crlf\": (\\d+)") + ",");
  }

  @Test
  void concurrentClientsEachSelectAndFetchRanges() {
    String json = mail(imap("clients", "--connections", "4", "--warmup", "0s", "--duration", "2s", "--range", "10"));

    assertThat(json).contains("\"connections\":4,", "\"errors\":0,");
    assertThat(json).doesNotContain("\"operations\":0,");
  }

  @Test
  void idleSessionsStayOpenUntilReleasedThenLogOut() throws Exception {
    MailTarget target = new MailTarget(new InetSocketAddress("127.0.0.1", dovecot.imapPort), HarnessDovecot.USER,
        HarnessDovecot.PASSWORD, "INBOX", Duration.ofSeconds(60));
    StringWriter out = new StringWriter();

    Map<String, Object> report = new IdleSessions(target, 5, 2)
        .run(new PrintWriter(out, true), new ByteArrayInputStream(new byte[0]));

    assertThat(out.toString()).isEqualTo("idle: 5 open, 0 failed" + System.lineSeparator());
    assertThat(report).containsEntry("open", 5).containsEntry("failed", 0).containsEntry("error_samples", List.of());
  }
}
