package io.vireo.relay.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.BodyType;
import io.vireo.queue.Notify;
import io.vireo.queue.Ret;
import io.vireo.relay.protocol.ParseResult.Command;
import io.vireo.relay.protocol.ParseResult.SyntaxError;
import io.vireo.relay.protocol.SmtpCommand.Auth;
import io.vireo.relay.protocol.SmtpCommand.Bdat;
import io.vireo.relay.protocol.SmtpCommand.Data;
import io.vireo.relay.protocol.SmtpCommand.Ehlo;
import io.vireo.relay.protocol.SmtpCommand.Expn;
import io.vireo.relay.protocol.SmtpCommand.Helo;
import io.vireo.relay.protocol.SmtpCommand.Help;
import io.vireo.relay.protocol.SmtpCommand.MailFrom;
import io.vireo.relay.protocol.SmtpCommand.Noop;
import io.vireo.relay.protocol.SmtpCommand.Quit;
import io.vireo.relay.protocol.SmtpCommand.RcptTo;
import io.vireo.relay.protocol.SmtpCommand.Rset;
import io.vireo.relay.protocol.SmtpCommand.StartTls;
import io.vireo.relay.protocol.SmtpCommand.Unknown;
import io.vireo.relay.protocol.SmtpCommand.Vrfy;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmtpCommandParserTest {

  private static SmtpCommand command(String line) {
    ParseResult result = SmtpCommandParser.parse(line.getBytes(UTF_8));
    assertThat(result).as(line).isInstanceOf(Command.class);
    return ((Command) result).command();
  }

  private static SyntaxError error(String line) {
    ParseResult result = SmtpCommandParser.parse(line.getBytes(UTF_8));
    assertThat(result).as(line).isInstanceOf(SyntaxError.class);
    return (SyntaxError) result;
  }

  private static String codes(SyntaxError error) {
    return error.reply().code() + " " + error.reply().status();
  }

  private static Mailbox recipient(String line) {
    return ((RcptTo) command(line)).forwardPath();
  }

  @Nested
  class Verbs {
    @Test
    void ehloAndHeloTakeTheClientName() {
      assertThat(command("EHLO client.example")).isEqualTo(new Ehlo("client.example"));
      assertThat(command("ehlo [192.0.2.1]")).isEqualTo(new Ehlo("[192.0.2.1]"));
      assertThat(command("HELO client.example")).isEqualTo(new Helo("client.example"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"EHLO", "EHLO ", "HELO", "EHLO two words"})
    void ehloWithoutOneNameIsASyntaxError(String line) {
      assertThat(codes(error(line))).isEqualTo("501 5.5.4");
    }

    @Test
    void commandsWithoutArguments() {
      assertThat(command("DATA")).isEqualTo(new Data());
      assertThat(command("data ")).isEqualTo(new Data());
      assertThat(command("RSET")).isEqualTo(new Rset());
      assertThat(command("QUIT")).isEqualTo(new Quit());
      assertThat(command("STARTTLS")).isEqualTo(new StartTls());
    }

    @ParameterizedTest
    @ValueSource(strings = {"DATA now", "RSET x", "QUIT please", "STARTTLS x"})
    void argumentsWhereNoneAreAllowedAreASyntaxError(String line) {
      assertThat(codes(error(line))).isEqualTo("501 5.5.4");
    }

    @Test
    void noopIgnoresItsArgumentAndHelpKeepsItsTopic() {
      assertThat(command("NOOP")).isEqualTo(new Noop());
      assertThat(command("NOOP anything at all")).isEqualTo(new Noop());
      assertThat(command("HELP")).isEqualTo(new Help(Optional.empty()));
      assertThat(command("HELP MAIL")).isEqualTo(new Help(Optional.of("MAIL")));
    }

    @Test
    void vrfyAndExpnNeedAnArgument() {
      assertThat(command("VRFY postmaster")).isEqualTo(new Vrfy("postmaster"));
      assertThat(command("EXPN staff")).isEqualTo(new Expn("staff"));
      assertThat(codes(error("VRFY"))).isEqualTo("501 5.5.4");
      assertThat(codes(error("EXPN "))).isEqualTo("501 5.5.4");
    }

    @Test
    void bdatCarriesItsSizeAndLastMarker() {
      assertThat(command("BDAT 1000")).isEqualTo(new Bdat(1000, false));
      assertThat(command("BDAT 0 LAST")).isEqualTo(new Bdat(0, true));
      assertThat(command("bdat 12 last")).isEqualTo(new Bdat(12, true));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "BDAT",
          "BDAT x",
          "BDAT -1",
          "BDAT 10 FIRST",
          "BDAT 10 LAST more",
          "BDAT 1234567890123456789"
        })
    void unreadableBdatIsFatalBecauseTheChunkCannotBeSkipped(String line) {
      SyntaxError error = error(line);
      assertThat(error.fatal()).isTrue();
      assertThat(codes(error)).isEqualTo("501 5.5.4");
    }

    @Test
    void authIsParsedForLaterUse() {
      assertThat(command("AUTH plain")).isEqualTo(new Auth("PLAIN", Optional.empty()));
      assertThat(command("AUTH PLAIN AGZvbwBiYXI="))
          .isEqualTo(new Auth("PLAIN", Optional.of("AGZvbwBiYXI=")));
      assertThat(command("AUTH EXTERNAL =")).isEqualTo(new Auth("EXTERNAL", Optional.of("=")));
      assertThat(codes(error("AUTH"))).isEqualTo("501 5.5.4");
      assertThat(codes(error("AUTH PLAIN not*base64"))).isEqualTo("501 5.5.4");
    }

    @Test
    void unknownVerbsAreReportedUpperCaseAndShortened() {
      assertThat(command("frobnicate now")).isEqualTo(new Unknown("FROBNICATE"));
      assertThat(command("X".repeat(40))).isEqualTo(new Unknown("X".repeat(16)));
    }

    @Test
    void controlCharactersAreRefused() {
      assertThat(codes(error("NOOP \u0000"))).isEqualTo("501 5.5.4");
      assertThat(codes(error("EHLO a\tb"))).isEqualTo("501 5.5.4");
    }

    @Test
    void invalidUtf8IsRefused() {
      byte[] line = {'M', 'A', 'I', 'L', ' ', (byte) 0xC3, (byte) 0x28};
      ParseResult result = SmtpCommandParser.parse(line);
      assertThat(result).isEqualTo(SyntaxError.of(Replies.INVALID_UTF8));
    }
  }

  @Nested
  class MailFromCommand {
    @Test
    void plainSender() {
      MailFrom mail = (MailFrom) command("MAIL FROM:<alice@example.com>");
      assertThat(mail.reversePath()).contains(new Mailbox("alice", "example.com"));
      assertThat(mail.sender()).isEqualTo("alice@example.com");
      assertThat(mail.parameters()).isEqualTo(MailParameters.NONE);
    }

    @Test
    void nullSender() {
      MailFrom mail = (MailFrom) command("mail from:<>");
      assertThat(mail.reversePath()).isEmpty();
      assertThat(mail.sender()).isEmpty();
    }

    @Test
    void spaceAfterTheColonIsTolerated() {
      assertThat(((MailFrom) command("MAIL FROM: <a@b.example>")).sender())
          .isEqualTo("a@b.example");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"MAIL FROM:a@b.example", "MAIL a@b.example", "MAIL TO:<a@b.example>", "MAIL"})
    void pathsNeedFromAndAngleBrackets(String line) {
      assertThat(codes(error(line))).isEqualTo("501 5.5.4");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "MAIL FROM:<a@b@c.example>",
          "MAIL FROM:<a..b@c.example>",
          "MAIL FROM:<a@c.example.>",
          "MAIL FROM:<a@-c.example>",
          "MAIL FROM:<a@c-.example>",
          "MAIL FROM:<@c.example>",
          "MAIL FROM:<a@>",
          "MAIL FROM:<a b@c.example>",
          "MAIL FROM:<a@c.example",
          "MAIL FROM:<\"unterminated@c.example>",
          "MAIL FROM:<a@[300.1.1.1]>",
        })
    void badSenderAddresses(String line) {
      assertThat(codes(error(line))).isEqualTo("501 5.1.7");
    }

    @Test
    void allKnownParameters() {
      MailFrom mail =
          (MailFrom)
              command(
                  "MAIL FROM:<a@b.example> SIZE=12345 BODY=8BITMIME SMTPUTF8 RET=HDRS"
                      + " ENVID=QQ314159+2B1");
      assertThat(mail.parameters())
          .isEqualTo(
              new MailParameters(
                  OptionalLong.of(12345),
                  BodyType.EIGHT_BIT_MIME,
                  true,
                  Ret.HDRS,
                  Optional.of("QQ314159+2B1")));
    }

    @Test
    void parameterKeywordsAndValuesAreCaseInsensitive() {
      MailFrom mail = (MailFrom) command("MAIL FROM:<a@b.example> body=7bit ret=full");
      assertThat(mail.parameters().body()).isEqualTo(BodyType.SEVEN_BIT);
      assertThat(mail.parameters().ret()).isEqualTo(Ret.FULL);
    }

    @Test
    void hugeSizeSaturatesInsteadOfFailing() {
      MailFrom mail = (MailFrom) command("MAIL FROM:<a@b.example> SIZE=99999999999999999999");
      assertThat(mail.parameters().size()).hasValue(Long.MAX_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AUTH=<>", "AUTH=app@example.com", "AUTH=a+2Bb@example.com"})
    void authParameterIsAcceptedAndNotKept(String parameter) {
      MailFrom mail = (MailFrom) command("MAIL FROM:<a@b.example> " + parameter);
      assertThat(mail.parameters()).isEqualTo(MailParameters.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AUTH", "AUTH=", "AUTH=a+zz", "AUTH=a=b"})
    void badAuthParameterIs501(String parameter) {
      assertThat(codes(error("MAIL FROM:<a@b.example> " + parameter))).startsWith("501");
    }

    @ParameterizedTest
    @ValueSource(strings = {"XFORWARD=1", "FOO", "TRANSID=x"})
    void unknownParametersAre555(String parameter) {
      assertThat(codes(error("MAIL FROM:<a@b.example> " + parameter))).isEqualTo("555 5.5.4");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "SIZE=abc",
          "SIZE=",
          "SIZE",
          "BODY=9BIT",
          "SMTPUTF8=yes",
          "RET=ALL",
          "ENVID=a=b",
          "ENVID=has+zz",
          "SIZE=1 SIZE=2",
        })
    void badParameterValuesAre501(String parameters) {
      assertThat(codes(error("MAIL FROM:<a@b.example> " + parameters))).isEqualTo("501 5.5.4");
    }

    @Test
    void envidLongerThan100IsRefused() {
      assertThat(codes(error("MAIL FROM:<a@b.example> ENVID=" + "x".repeat(101))))
          .isEqualTo("501 5.5.4");
      assertThat(command("MAIL FROM:<a@b.example> ENVID=" + "x".repeat(100)))
          .isInstanceOf(MailFrom.class);
    }

    @Test
    void utf8SenderNeedsSmtpUtf8() {
      assertThat(((MailFrom) command("MAIL FROM:<jürgen@bücher.example> SMTPUTF8")).sender())
          .isEqualTo("jürgen@bücher.example");
      assertThat(codes(error("MAIL FROM:<jürgen@bücher.example>"))).isEqualTo("553 5.6.7");
    }

    @Test
    void nullSenderWithParameters() {
      MailFrom mail = (MailFrom) command("MAIL FROM:<> SIZE=10");
      assertThat(mail.reversePath()).isEmpty();
      assertThat(mail.parameters().size()).hasValue(10);
    }
  }

  @Nested
  class RcptToCommand {
    @Test
    void plainRecipient() {
      RcptTo rcpt = (RcptTo) command("RCPT TO:<bob@example.org>");
      assertThat(rcpt.forwardPath()).isEqualTo(new Mailbox("bob", "example.org"));
      assertThat(rcpt.notifications()).isEmpty();
      assertThat(rcpt.originalRecipient()).isEmpty();
    }

    @Test
    void dsnParameters() {
      RcptTo rcpt =
          (RcptTo)
              command(
                  "RCPT TO:<bob@example.org> NOTIFY=SUCCESS,delay ORCPT=rfc822;bob+40example.org");
      assertThat(rcpt.notifications()).containsExactlyInAnyOrder(Notify.SUCCESS, Notify.DELAY);
      assertThat(rcpt.originalRecipient()).contains("rfc822;bob+40example.org");
      assertThat(((RcptTo) command("RCPT TO:<b@c.example> NOTIFY=NEVER")).notifications())
          .isEqualTo(Set.of(Notify.NEVER));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "NOTIFY=NEVER,SUCCESS",
          "NOTIFY=SOMETIMES",
          "NOTIFY=SUCCESS,SUCCESS",
          "NOTIFY=",
          "NOTIFY",
          "ORCPT=bob@example.org",
          "ORCPT=rfc822;",
          "ORCPT=;bob",
        })
    void badDsnParameters(String parameter) {
      assertThat(codes(error("RCPT TO:<b@c.example> " + parameter))).isEqualTo("501 5.5.4");
    }

    @Test
    void unknownRcptParameterIs555() {
      assertThat(codes(error("RCPT TO:<b@c.example> SIZE=10"))).isEqualTo("555 5.5.4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"RCPT TO:b@c.example", "RCPT <b@c.example>", "RCPT TO:<>", "RCPT"})
    void recipientsNeedAPath(String line) {
      assertThat(error(line).reply().code()).isEqualTo(501);
    }

    @Test
    void badRecipientAddressIs5_1_3() {
      assertThat(codes(error("RCPT TO:<a@b@c.example>"))).isEqualTo("501 5.1.3");
    }

    @Test
    void postmasterWithoutDomainIsAcceptedSyntactically() {
      Mailbox postmaster = recipient("RCPT TO:<Postmaster>");
      assertThat(postmaster.isLocalPostmaster()).isTrue();
      assertThat(postmaster.address()).isEqualTo("Postmaster");
      assertThat(codes(error("RCPT TO:<someone>"))).isEqualTo("501 5.1.3");
    }

    @Test
    void utf8RecipientIsParsedAndMarkedNonAscii() {
      Mailbox mailbox = recipient("RCPT TO:<用户@例子.测试>");
      assertThat(mailbox.domain()).isEqualTo("例子.测试");
      assertThat(mailbox.isAscii()).isFalse();
    }

    @Test
    void utf8OrcptIsAllowedForTheUtf8AddressType() {
      RcptTo rcpt = (RcptTo) command("RCPT TO:<用户@例子.测试> ORCPT=utf-8;用户@例子.测试");
      assertThat(rcpt.originalRecipient()).contains("utf-8;用户@例子.测试");
    }
  }

  /**
   * Address tricks that must never make the relay decision see another domain than the real one.
   */
  @Nested
  class AddressTricks {
    @Test
    void sourceRouteIsDiscarded() {
      assertThat(recipient("RCPT TO:<@relay.example,@hop.example:user@final.example>"))
          .isEqualTo(new Mailbox("user", "final.example"));
      assertThat(((MailFrom) command("MAIL FROM:<@a.example:x@y.example>")).sender())
          .isEqualTo("x@y.example");
    }

    @Test
    void percentHackStaysInTheLocalPart() {
      Mailbox mailbox = recipient("RCPT TO:<victim%elsewhere.example@local.example>");
      assertThat(mailbox.localPart()).isEqualTo("victim%elsewhere.example");
      assertThat(mailbox.domain()).isEqualTo("local.example");
    }

    @Test
    void bangPathStaysInTheLocalPart() {
      Mailbox mailbox = recipient("RCPT TO:<elsewhere.example!victim@local.example>");
      assertThat(mailbox.localPart()).isEqualTo("elsewhere.example!victim");
      assertThat(mailbox.domain()).isEqualTo("local.example");
    }

    @Test
    void quotedAtStaysInTheLocalPart() {
      Mailbox mailbox = recipient("RCPT TO:<\"victim@elsewhere.example\"@local.example>");
      assertThat(mailbox.localPart()).isEqualTo("\"victim@elsewhere.example\"");
      assertThat(mailbox.domain()).isEqualTo("local.example");
      assertThat(mailbox.address()).isEqualTo("\"victim@elsewhere.example\"@local.example");
    }

    @Test
    void quotedLocalPartWithEscapesAndSpaces() {
      Mailbox mailbox = recipient("RCPT TO:<\"john \\\"q\\\" public\"@example.com>");
      assertThat(mailbox.localPart()).isEqualTo("\"john \\\"q\\\" public\"");
      assertThat(mailbox.domain()).isEqualTo("example.com");
    }

    @Test
    void quotedGreaterThanDoesNotEndThePath() {
      assertThat(recipient("RCPT TO:<\"a>b\"@example.com>").domain()).isEqualTo("example.com");
    }

    @Test
    void unquotedSecondAtIsASyntaxErrorNotAnotherDomain() {
      assertThat(codes(error("RCPT TO:<victim@elsewhere.example@local.example>")))
          .isEqualTo("501 5.1.3");
    }

    @Test
    void addressLiterals() {
      assertThat(recipient("RCPT TO:<a@[192.0.2.1]>").domain()).isEqualTo("[192.0.2.1]");
      assertThat(recipient("RCPT TO:<a@[IPv6:2001:db8::1]>").domain())
          .isEqualTo("[IPv6:2001:db8::1]");
      assertThat(codes(error("RCPT TO:<a@[IPv6:not-an-address]>"))).isEqualTo("501 5.1.3");
      assertThat(codes(error("RCPT TO:<a@[192.0.2]>"))).isEqualTo("501 5.1.3");
    }

    @Test
    void lengthLimits() {
      String local64 = "l".repeat(64);
      assertThat(recipient("RCPT TO:<" + local64 + "@example.com>").localPart()).isEqualTo(local64);
      assertThat(codes(error("RCPT TO:<" + "l".repeat(65) + "@example.com>")))
          .isEqualTo("501 5.1.3");
      String longDomain = ("d".repeat(60) + ".").repeat(5) + "example";
      assertThat(codes(error("RCPT TO:<a@" + longDomain + ">"))).isEqualTo("501 5.1.3");
    }
  }
}
