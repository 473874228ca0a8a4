package io.vireo.relay.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigLoader;
import io.vireo.config.LimitsConfig;
import io.vireo.mailbox.testing.ExternalTool;
import io.vireo.relay.app.ProcessRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** deploy/haproxy/haproxy.cfg: valid for HAProxy, and in step with what a Vireo node expects. */
class HaproxyConfigTest {
  private static final String CONFIG = "deploy/haproxy/haproxy.cfg";

  @Test
  void haproxyAcceptsTheConfigurationWithoutAWarning() throws Exception {
    Path haproxy = ExternalTool.require("haproxy", "haproxy");
    // -c checks without binding or connecting; -dW turns any warning into a failure.
    ProcessRunner.Result result = ProcessRunner.run(
        List.of(haproxy.toString(), "-dW", "-c", "-f", DeployTree.file(CONFIG).toString()),
        Duration.ofSeconds(30));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).doesNotContainIgnoringCase("warning");
  }

  @Test
  void twoNodesGetThePROXYv2HeaderAndAreCheckedOnTheirAdminReadiness() throws Exception {
    List<String> lines = DeployTree.read(CONFIG).lines().map(String::strip).toList();
    assertThat(lines.stream().filter(line -> line.startsWith("server "))).hasSize(2);
    String defaults = single(lines, "default-server ");
    assertThat(defaults).contains(" send-proxy-v2 ", " check ");
    Matcher checkPort = Pattern.compile(" port (\\d+)").matcher(defaults);
    assertThat(checkPort.find()).isTrue();
    assertThat(Integer.parseInt(checkPort.group(1)))
        .isEqualTo(DeployTree.config("deploy/systemd/vireo.yaml").listen().admin().port());
    assertThat(lines).contains("mode tcp", "option httpchk", "http-check send meth GET uri /readyz",
        "http-check expect status 200");
    // Cutting sessions when a node turns unready would lose the messages in them.
    assertThat(lines).noneMatch(line -> line.contains("shutdown-sessions"));
  }

  @Test
  void haproxyNeverTimesOutASessionBeforeVireoWould() throws Exception {
    List<String> lines = DeployTree.read(CONFIG).lines().map(String::strip).toList();
    LimitsConfig limits = ConfigLoader.defaults().limits();
    Duration longest = limits.commandTimeout().compareTo(limits.dataTimeout()) > 0
        ? limits.commandTimeout()
        : limits.dataTimeout();
    for (String side : List.of("client", "server")) {
      String timeout = single(lines, "timeout " + side + " ");
      Matcher minutes = Pattern.compile("timeout " + side + " (\\d+)m").matcher(timeout.strip());
      assertThat(minutes.matches()).as(timeout).isTrue();
      assertThat(Duration.ofMinutes(Long.parseLong(minutes.group(1)))).isGreaterThan(longest);
    }
  }

  private static String single(List<String> lines, String prefix) {
    List<String> matching = lines.stream().filter(line -> line.startsWith(prefix)).toList();
    assertThat(matching).as(prefix).hasSize(1);
    return matching.getFirst() + " ";
  }
}
