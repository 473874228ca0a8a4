package io.vireo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.Test;

/** {@code listen.proxy-from}: off by default, a list of networks, errors at the key and line. */
class ProxyFromConfigTest {

  @Test
  void offByDefault() throws ConfigException {
    assertThat(ConfigLoader.parse("", "vireo.yaml").listen().proxyFrom()).isEmpty();
  }

  @Test
  void readsNetworksOfBothFamilies() throws ConfigException {
    VireoConfig c =
        ConfigLoader.parse(
            "listen:\n  proxy-from: [10.0.0.5/32, \"fd00::/8\", 127.0.0.1]\n", "vireo.yaml");
    assertThat(c.listen().proxyFrom())
        .extracting(Cidr::toString)
        .containsExactly("10.0.0.5/32", "fd00::/8", "127.0.0.1/32");
  }

  @Test
  void aBadNetworkIsRefusedAtItsKeyAndLine() {
    try {
      ConfigLoader.parse("hostname: a.example\nlisten:\n  proxy-from: [10.0.0.0/33]\n", "f.yaml");
    } catch (ConfigException e) {
      assertThat(e.problems())
          .extracting(ConfigProblem::key, ConfigProblem::line)
          .containsExactly(tuple("listen.proxy-from[0]", 3));
      return;
    }
    throw new AssertionError("10.0.0.0/33 was accepted");
  }
}
