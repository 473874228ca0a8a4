package io.vireo.relay.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.BodyType;
import io.vireo.queue.Notify;
import io.vireo.queue.Ret;
import io.vireo.relay.protocol.ParseResult.Command;
import io.vireo.relay.protocol.SmtpCommand.Auth;
import io.vireo.relay.protocol.SmtpCommand.Bdat;
import io.vireo.relay.protocol.SmtpCommand.Data;
import io.vireo.relay.protocol.SmtpCommand.Ehlo;
import io.vireo.relay.protocol.SmtpCommand.MailFrom;
import io.vireo.relay.protocol.SmtpCommand.Quit;
import io.vireo.relay.protocol.SmtpCommand.RcptTo;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link SmtpCommandRenderer}: the client's side of a transcript, written from the same records the
 * server's parser makes of it.
 */
class SmtpCommandRendererTest {

  private static String render(SmtpCommand command) {
    return SmtpCommandRenderer.render(command);
  }

  private static SmtpCommand parse(String line) {
    return ((Command) SmtpCommandParser.parse(line.getBytes(UTF_8))).command();
  }

  @Test
  void theClientSideOfAnRfc5321Transcript() {
    // RFC 5321 appendix D.1, as this client writes it.
    assertThat(render(new Ehlo("bar.com"))).isEqualTo("EHLO bar.com");
    assertThat(render(new MailFrom(Optional.of(Mailbox.of("Smith@bar.com")), MailParameters.NONE)))
        .isEqualTo("MAIL FROM:<Smith@bar.com>");
    assertThat(render(new RcptTo(Mailbox.of("Jones@foo.com"), Set.of(), Optional.empty())))
        .isEqualTo("RCPT TO:<Jones@foo.com>");
    assertThat(render(new Data())).isEqualTo("DATA");
    assertThat(render(new Quit())).isEqualTo("QUIT");
  }

  @Test
  void mailParametersGoInTheOrderTheClientAlwaysSentThem() {
    MailParameters all =
        new MailParameters(
            OptionalLong.of(1024),
            BodyType.EIGHT_BIT_MIME,
            true,
            Ret.HDRS,
            Optional.of(Xtext.encode("QQ+123")));

    assertThat(render(new MailFrom(Optional.of(Mailbox.of("a@example.com")), all)))
        .isEqualTo(
            "MAIL FROM:<a@example.com> SIZE=1024 BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=QQ+2B123");
    assertThat(render(new MailFrom(Optional.empty(), MailParameters.NONE)))
        .isEqualTo("MAIL FROM:<>");
  }

  @Test
  void dsnRecipientParameters() {
    RcptTo rcpt =
        new RcptTo(
            Mailbox.of("b@example.com"),
            Set.of(Notify.DELAY, Notify.SUCCESS),
            Optional.of("rfc822;b+2Bx@example.com"));

    assertThat(render(rcpt))
        .isEqualTo("RCPT TO:<b@example.com> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;b+2Bx@example.com");
    // RFC 3461 section 4.1: NEVER stands alone.
    assertThat(
            render(new RcptTo(Mailbox.of("c@example.com"), Set.of(Notify.NEVER), Optional.empty())))
        .isEqualTo("RCPT TO:<c@example.com> NOTIFY=NEVER");
    assertThat(render(new RcptTo(Mailbox.of("Postmaster"), Set.of(), Optional.empty())))
        .isEqualTo("RCPT TO:<Postmaster>");
  }

  @Test
  void authAndBdat() {
    assertThat(render(new Auth("PLAIN", Optional.of("AHVzZXIAcGFzcw=="))))
        .isEqualTo("AUTH PLAIN AHVzZXIAcGFzcw==");
    assertThat(render(new Auth("LOGIN", Optional.empty()))).isEqualTo("AUTH LOGIN");
    assertThat(render(new Bdat(1000, true))).isEqualTo("BDAT 1000 LAST");
    assertThat(render(new Bdat(0, false))).isEqualTo("BDAT 0");
  }

  @Test
  void whatAClientSendsParsesToTheCommandItWasRenderedFrom() {
    for (String line :
        List.of(
            "EHLO client.example.com",
            "HELO [192.0.2.1]",
            "MAIL FROM:<a@example.com> SIZE=1024 BODY=8BITMIME SMTPUTF8 RET=FULL ENVID=QQ+2B123",
            "MAIL FROM:<\"john doe\"@example.com> BODY=BINARYMIME",
            "MAIL FROM:<>",
            "RCPT TO:<b@example.com> NOTIFY=SUCCESS,FAILURE,DELAY ORCPT=rfc822;b+2Bx@example.com",
            "RCPT TO:<Postmaster>",
            "DATA",
            "BDAT 1000 LAST",
            "RSET",
            "NOOP",
            "QUIT",
            "STARTTLS",
            "HELP mail",
            "HELP",
            "VRFY postmaster",
            "EXPN staff",
            "AUTH PLAIN =",
            "XCLIENT")) {
      assertThat(render(parse(line))).as(line).isEqualTo(line);
    }
  }

  @Test
  void anyAcceptedSpellingRendersInItsCanonicalForm() {
    assertThat(render(parse("mail from:<@relay.example:a@example.com> body=7bit size=007")))
        .isEqualTo("MAIL FROM:<a@example.com> SIZE=7");
    assertThat(render(parse("rcpt to:<c@example.com> notify=delay,success")))
        .isEqualTo("RCPT TO:<c@example.com> NOTIFY=SUCCESS,DELAY");
    assertThat(render(parse("NOOP is ignored"))).isEqualTo("NOOP");
    assertThat(render(parse("auth plain"))).isEqualTo("AUTH PLAIN");
    assertThat(render(parse("bdat 5 last"))).isEqualTo("BDAT 5 LAST");
    // AUTH= on MAIL (RFC 4954 section 5) is accepted and not kept, so it is not written again.
    assertThat(render(parse("MAIL FROM:<a@example.com> AUTH=<>")))
        .isEqualTo("MAIL FROM:<a@example.com>");
  }

  @Test
  void aStoredAddressSplitsAtItsLastAtSign() {
    assertThat(Mailbox.of("\"a@b\"@example.com")).isEqualTo(new Mailbox("\"a@b\"", "example.com"));
    assertThat(Mailbox.of("postmaster")).isEqualTo(new Mailbox("postmaster", ""));
    assertThat(Mailbox.of("odd@").address()).isEqualTo("odd@");
  }
}
