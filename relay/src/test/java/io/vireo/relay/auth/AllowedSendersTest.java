package io.vireo.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AllowedSendersTest {
  @Test
  void addressesMatchWholeAndDomainsMatchExactlyIgnoringCase() {
    AllowedSenders allowed = AllowedSenders.parse(" App@Example.com ,@Notify.example.org,b.test");
    assertThat(allowed.addresses()).containsExactly("app@example.com");
    assertThat(allowed.domains()).containsExactlyInAnyOrder("notify.example.org", "b.test");
    assertThat(allowed.permits("app@example.com")).isTrue();
    assertThat(allowed.permits("APP@EXAMPLE.COM")).isTrue();
    assertThat(allowed.permits("x@notify.example.org")).isTrue();
    assertThat(allowed.permits("x@B.Test")).isTrue();
    assertThat(allowed.permits("other@example.com")).isFalse();
    assertThat(allowed.permits("x@sub.b.test")).isFalse();
    assertThat(allowed.permits("x@b.test.evil")).isFalse();
    assertThat(allowed.permits("")).isFalse();
    assertThat(allowed.format()).isEqualTo("app@example.com,b.test,notify.example.org");
    assertThat(AllowedSenders.parse(allowed.format())).isEqualTo(allowed);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " , ", "a@", "@", "a b@example.com", "example..com", "x@.example"})
  void badEntriesAreRefused(String list) {
    assertThatThrownBy(() -> AllowedSenders.parse(list))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
