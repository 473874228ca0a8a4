package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.mailbox.testing.ExternalTool;
import io.vireo.queue.MessageId;
import io.vireo.relay.testing.RelayExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Real third-party SMTP clients (Python's smtplib, swaks) against the real relay. */
class InteropClientsIntegrationTest {
  private static final Pattern QUEUED = Pattern.compile("queued as ([0-9A-Z]{20})");
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension final RelayExtension relays = RelayExtension.parkedBeforeEach();

  private List<MessageId> queuedIds(String output) {
    Matcher matcher = QUEUED.matcher(output);
    return matcher.results().map(m -> new MessageId(m.group(1))).toList();
  }

  private String content(MessageId id) {
    return new String(relays.relay().spool().read(id).orElseThrow().content().toByteArray(), StandardCharsets.UTF_8);
  }

  @Test
  void pythonSmtplibSendsSeveralMessagesOnOneConnection() throws Exception {
    Path python = ExternalTool.require("python3", "python3");
    String script =
        """
        import smtplib, sys
        from email import policy
        from email.message import EmailMessage
        with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), local_hostname="py.test", timeout=30) as s:
            s.ehlo()
            assert s.has_extn("pipelining") and s.has_extn("8bitmime") and s.has_extn("smtputf8")
            for i in range(5):
                m = EmailMessage()
                m["From"] = "py@example.com"
                m["To"] = "user%d@example.net" % i
                m["Subject"] = "python %d" % i
                m.set_content("body %d\\n.dot line\\nGr\\u00fc\\u00dfe\\n" % i, cte="8bit")
                s.mail("py@example.com", ["BODY=8BITMIME"])
                s.rcpt("user%d@example.net" % i)
                code, reply = s.data(m.as_bytes(policy=policy.SMTP))  # CRLF: bare LF is refused
                print(code, reply.decode())
            code, reply = s.mail("py@example.com", ["SIZE=999999999999"])
            print("oversize", code, reply.decode())
        """;
    ProcessRunner.Result result =
        ProcessRunner.runScript(
            python,
            script,
            TOOL_TIMEOUT,
            String.valueOf(relays.smtpPort()));

    assertThat(result.exitCode()).as(result.output()).isZero();
    List<MessageId> ids = queuedIds(result.output());
    assertThat(ids).hasSize(5).doesNotHaveDuplicates();
    assertThat(result.output()).contains("oversize 552 5.3.4");
    for (int i = 0; i < 5; i++) {
      String stored = content(ids.get(i));
      assertThat(stored).contains("Subject: python " + i + "\r\n");
      assertThat(stored).contains("\r\n.dot line\r\nGrüße\r\n");
      assertThat(relays.relay().spool().find(ids.get(i)).orElseThrow().envelope().bodyType().name())
          .isEqualTo("EIGHT_BIT_MIME");
    }
  }

  @Test
  void swaksWithPipeliningIsAccepted() throws Exception {
    Path swaks = ExternalTool.require("swaks", "swaks");
    ProcessRunner.Result result =
        ProcessRunner.run(
            List.of(
                swaks.toString(),
                "--server", "127.0.0.1:" + relays.smtpPort(),
                "--helo", "swaks.test",
                "--from", "swaks@example.com",
                "--to", "a@example.net,b@example.org",
                "--pipeline",
                "--header", "Subject: from swaks",
                "--body", "hello from swaks",
                "--timeout", "30"),
            TOOL_TIMEOUT);

    assertThat(result.exitCode()).as(result.output()).isZero();
    List<MessageId> ids = queuedIds(result.output());
    assertThat(ids).hasSize(1);
    assertThat(content(ids.getFirst())).contains("Subject: from swaks").contains("hello from swaks");
    assertThat(relays.relay().spool().find(ids.getFirst()).orElseThrow().recipients()).hasSize(2);
  }

  @Test
  void swaksSeesEveryAdvertisedExtension() throws Exception {
    Path swaks = ExternalTool.require("swaks", "swaks");
    ProcessRunner.Result result =
        ProcessRunner.run(
            List.of(
                swaks.toString(),
                "--server", "127.0.0.1:" + relays.smtpPort(),
                "--quit-after", "EHLO",
                "--timeout", "30"),
            TOOL_TIMEOUT);
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("PIPELINING", "SIZE 52428800", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "CHUNKING", "DSN");
  }
}
