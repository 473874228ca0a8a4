package io.vireo.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageIdTest {
  @Test
  void acceptsTwentyCrockfordDigits() {
    assertThat(MessageId.isValid("0123456789ABCDEFGHJK")).isTrue();
    assertThat(new MessageId("MNPQRSTVWXYZ01234567").value()).isEqualTo("MNPQRSTVWXYZ01234567");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "0123456789ABCDEFGHJ",
        "0123456789ABCDEFGHJKM",
        "0123456789abcdefghjk",
        "0123456789ABCDEFGHJI",
        "0123456789ABCDEFGHJL",
        "0123456789ABCDEFGHJO",
        "0123456789ABCDEFGHJU",
        "0123456789ABCDEFGHJ-"
      })
  void rejectsAnythingElse(String text) {
    assertThat(MessageId.isValid(text)).isFalse();
    assertThatThrownBy(() -> new MessageId(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nullIsNotAnId() {
    assertThat(MessageId.isValid(null)).isFalse();
  }
}
