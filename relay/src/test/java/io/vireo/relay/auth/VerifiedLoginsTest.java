package io.vireo.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.queue.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class VerifiedLoginsTest {
  private final ManualClock clock = new ManualClock();

  private static byte[] octets(String text) {
    return PasswordHashing.octets(text);
  }

  @Test
  void answersOnlyForTheSameUserHashAndPassword() {
    VerifiedLogins logins = new VerifiedLogins(Duration.ofMinutes(1), clock);
    logins.remember("alice", "$hash-1", octets("pw"));

    assertThat(logins.remembers("alice", "$hash-1", octets("pw"))).isTrue();
    assertThat(logins.remembers("alice", "$hash-1", octets("pW"))).isFalse();
    assertThat(logins.remembers("bob", "$hash-1", octets("pw"))).isFalse();
    assertThat(logins.remembers("alice", "$hash-2", octets("pw"))).isFalse();
    // An entry for a hash the users file no longer holds is gone for good.
    assertThat(logins.remembers("alice", "$hash-1", octets("pw"))).isFalse();
  }

  @Test
  void keepsAtMostItsBoundOfUsers() {
    VerifiedLogins logins = new VerifiedLogins(Duration.ofMinutes(1), clock, 100);
    for (int i = 0; i < 1_000; i++) {
      logins.remember("user" + i, "$hash", octets("pw"));
    }
    assertThat(logins.size()).isLessThanOrEqualTo(100);
  }

  @Test
  void twoStoresKeyTheirDigestsDifferently() {
    // Each instance draws its own key: the digest of one says nothing in another.
    VerifiedLogins one = new VerifiedLogins(Duration.ofMinutes(1), clock);
    VerifiedLogins two = new VerifiedLogins(Duration.ofMinutes(1), clock);
    one.remember("alice", "$hash", octets("pw"));
    assertThat(two.remembers("alice", "$hash", octets("pw"))).isFalse();
  }

  @Test
  void aTtlMustBePositive() {
    assertThatThrownBy(() -> new VerifiedLogins(Duration.ZERO, clock))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
