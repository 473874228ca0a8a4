package io.vireo.relay.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AdminAccessTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0} requires a token: {1}")
  @CsvSource({
    "127.0.0.1, false",
    "127.0.0.2, false",
    "127.255.255.254, false",
    "::1, false",
    "0.0.0.0, true",
    "::, true",
    "10.0.0.1, true",
    "192.168.1.20, true",
    "fe80::1, true",
    "2001:db8::1, true"
  })
  void everyAddressButLoopbackRequiresAToken(String address, boolean required) {
    InetAddress ip = InetAddress.ofLiteral(address);
    assertThat(AdminAccess.requiresToken(ip)).isEqualTo(required);
    if (required) {
      assertThatThrownBy(() -> AdminAccess.forAddress(ip, Optional.empty()))
          .isInstanceOf(AdminSetupException.class)
          .hasMessageContaining("is not a loopback address: set admin.token-file");
    } else {
      AdminAccess open = AdminAccess.forAddress(ip, Optional.empty());
      assertThat(open.tokenRequired()).isFalse();
      assertThat(open.permits(null)).isTrue();
    }
  }

  @Test
  void aTokenFileIsEnforcedOnLoopbackToo() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "  abc.DEF-123_~+/=\n");
    AdminAccess access = AdminAccess.forAddress(InetAddress.ofLiteral("127.0.0.1"), Optional.of(file));

    assertThat(access.tokenRequired()).isTrue();
    assertThat(access.permits("Bearer abc.DEF-123_~+/=")).isTrue();
    assertThat(access.permits("BEARER abc.DEF-123_~+/=")).isTrue();
    assertThat(access.permits(null)).isFalse();
    assertThat(access.permits("")).isFalse();
    assertThat(access.permits("Bearer ")).isFalse();
    assertThat(access.permits("Bearer abc")).isFalse();
    assertThat(access.permits("Bearer abc.DEF-123_~+/==")).isFalse();
    assertThat(access.permits("Basic abc.DEF-123_~+/=")).isFalse();
    assertThat(access.permits("abc.DEF-123_~+/=")).isFalse();
  }

  @Test
  void aTokenWithSpacesInsideIsRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "two words\n");
    assertThatThrownBy(
            () -> AdminAccess.forAddress(InetAddress.ofLiteral("::1"), Optional.of(file)))
        .isInstanceOf(AdminSetupException.class)
        .hasMessage(
            "admin.token-file " + file + ": must hold one token without spaces or control"
                + " characters");
  }
}
