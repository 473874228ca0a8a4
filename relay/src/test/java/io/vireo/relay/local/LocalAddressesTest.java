package io.vireo.relay.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.LocalConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How an address of a local domain names its users, in the documented order. */
class LocalAddressesTest {
  private final LocalAddresses addresses =
      new LocalAddresses(
          new LocalConfig(
              List.of("example.com", "example.org"),
              Map.of("sales@example.com", List.of("alice", "bob"), "alice@example.org", List.of("carol")),
              Map.of("example.org", "postmaster"),
              0),
          () -> List.of("alice", "bob", "dave@example.com", "a/b", "Eve"));

  @Test
  void aliasesComeFirstThenTheWholeAddressThenTheLocalPartThenTheCatchAll() {
    assertThat(addresses.usersOf("Sales", "EXAMPLE.com")).containsExactly("alice", "bob");
    assertThat(addresses.usersOf("alice", "example.org")).containsExactly("carol");
    assertThat(addresses.usersOf("dave", "example.com")).containsExactly("dave@example.com");
    assertThat(addresses.usersOf("alice", "example.com.")).containsExactly("alice");
    assertThat(addresses.usersOf("Bob", "example.com")).containsExactly("bob");
    assertThat(addresses.usersOf("Eve", "example.com")).containsExactly("Eve");
    assertThat(addresses.usersOf("eve", "example.com")).isEmpty();
    assertThat(addresses.usersOf("nobody", "example.org")).containsExactly("postmaster");
    assertThat(addresses.usersOf("nobody", "example.com")).isEmpty();
  }

  @Test
  void namesThatCannotBeADirectoryAndOtherDomainsHaveNoMailbox() {
    assertThat(addresses.usersOf("a/b", "example.com")).isEmpty();
    assertThat(addresses.usersOf("alice", "example.net")).isEmpty();
    assertThat(addresses.isLocal("Example.ORG")).isTrue();
    assertThat(addresses.isLocal("example.net")).isFalse();
  }
}
