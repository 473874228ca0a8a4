package io.vireo.relay.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.relay.auth.SaslServerExchange.Step;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** PLAIN (RFC 4616) and LOGIN, as the server reads them and the client writes them. */
class SaslTest {
  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  @Test
  void plainMessagesAreTakenApartIntoUserAndPassword() {
    assertThat(Sasl.parsePlain(bytes("\0alice\0s3cret")))
        .contains(new Credentials("alice", bytes("s3cret")));
    assertThat(Sasl.parsePlain(bytes("alice\0alice\0s3cret")))
        .contains(new Credentials("alice", bytes("s3cret")));
    assertThat(Sasl.parsePlain(bytes("\0jürgen\0pässword")))
        .contains(new Credentials("jürgen", bytes("pässword")));
  }

  @Test
  void malformedPlainMessagesAndProxyLoginsAreRefused() {
    assertThat(Sasl.parsePlain(bytes("alice s3cret"))).isEmpty();
    assertThat(Sasl.parsePlain(bytes("\0alice"))).isEmpty();
    assertThat(Sasl.parsePlain(bytes("\0\0s3cret"))).isEmpty();
    assertThat(Sasl.parsePlain(bytes("\0alice\0"))).isEmpty();
    assertThat(Sasl.parsePlain(bytes("\0alice\0pass\0word"))).isEmpty();
    assertThat(Sasl.parsePlain(bytes("admin\0alice\0s3cret"))).isEmpty();
    assertThat(Sasl.parsePlain(new byte[] {0, (byte) 0xC3, 0x28, 0, 'p'})).isEmpty();
    assertThat(Sasl.parsePlain(bytes("\0alice\r\nforged log line\0pw"))).isEmpty();
  }

  @Test
  void theClientSideWritesWhatTheServerSideReads() {
    byte[] message = Sasl.plainMessage("app@example.com", "pa:ss word");
    assertThat(Sasl.base64(message)).isEqualTo("AGFwcEBleGFtcGxlLmNvbQBwYTpzcyB3b3Jk");
    assertThat(Sasl.parsePlain(message))
        .contains(new Credentials("app@example.com", bytes("pa:ss word")));
  }

  @Test
  void plainWithoutInitialResponseAsksWithAnEmptyChallenge() {
    SaslServerExchange exchange = new SaslServerExchange(SaslMechanism.PLAIN);
    Step first = exchange.start(Optional.empty());
    assertThat(first).isInstanceOfSatisfying(Step.Challenge.class, c -> assertThat(c.challenge()).isEmpty());
    assertThat(exchange.next(bytes("\0bob\0pw")))
        .isEqualTo(new Step.Done(new Credentials("bob", bytes("pw"))));
  }

  @Test
  void loginAsksForTheNameThenThePassword() {
    SaslServerExchange exchange = new SaslServerExchange(SaslMechanism.LOGIN);
    Step name = exchange.start(Optional.empty());
    assertThat(name)
        .isInstanceOfSatisfying(
            Step.Challenge.class,
            c -> assertThat(Sasl.base64(c.challenge())).isEqualTo("VXNlcm5hbWU6"));
    Step password = exchange.next(bytes("bob"));
    assertThat(password)
        .isInstanceOfSatisfying(
            Step.Challenge.class,
            c -> assertThat(Sasl.base64(c.challenge())).isEqualTo("UGFzc3dvcmQ6"));
    assertThat(exchange.next(bytes("pw")))
        .isEqualTo(new Step.Done(new Credentials("bob", bytes("pw"))));
  }

  @Test
  void loginTakesTheNameAsAnInitialResponse() {
    SaslServerExchange exchange = new SaslServerExchange(SaslMechanism.LOGIN);
    assertThat(exchange.start(Optional.of(bytes("bob")))).isInstanceOf(Step.Challenge.class);
    assertThat(exchange.next(bytes("pw"))).isInstanceOf(Step.Done.class);
    assertThat(new SaslServerExchange(SaslMechanism.LOGIN).start(Optional.of(new byte[0])))
        .isInstanceOf(Step.Malformed.class);
    assertThat(new SaslServerExchange(SaslMechanism.LOGIN).start(Optional.of(bytes("a\nb"))))
        .isInstanceOf(Step.Malformed.class);
  }

  @Test
  void mechanismNamesAreCaseInsensitiveAndOnlyPlainAndLoginAreKnown() {
    assertThat(SaslMechanism.named("plain")).contains(SaslMechanism.PLAIN);
    assertThat(SaslMechanism.named("LOGIN")).contains(SaslMechanism.LOGIN);
    assertThat(SaslMechanism.named("CRAM-MD5")).isEmpty();
  }

  @Test
  void credentialsNeverShowThePassword() {
    Credentials credentials = new Credentials("bob", bytes("s3cret"));
    assertThat(credentials.toString()).contains("bob").doesNotContain("s3cret");
    credentials.erase();
    assertThat(credentials.password()).containsOnly(0);
  }
}
