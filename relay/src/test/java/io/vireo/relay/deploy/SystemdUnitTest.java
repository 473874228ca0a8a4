package io.vireo.relay.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.vireo.config.HostPort;
import io.vireo.config.VireoConfig;
import io.vireo.mailbox.testing.ExternalTool;
import io.vireo.relay.app.ProcessRunner;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/systemd/vireo.service: valid for systemd, sandboxed, and consistent with its vireo.yaml.
 */
class SystemdUnitTest {
  private static final String UNIT = "deploy/systemd/vireo.service";
  private static final String LAUNCHER = "/opt/vireo/bin/vireo";

  private static UnitFile unit;
  private static VireoConfig config;

  @TempDir Path tmp;

  @BeforeAll
  static void read() throws Exception {
    unit = UnitFile.parse(DeployTree.read(UNIT));
    config = DeployTree.config("deploy/systemd/vireo.yaml");
  }

  @Test
  void systemdAnalyzeVerifiesTheUnitWithoutAWord() throws Exception {
    Path tool = ExternalTool.require("systemd-analyze", "systemd");
    // verify insists that ExecStart's program exists: point it at a copy of the launcher here.
    Path launcher = Files.createDirectories(tmp.resolve("bin")).resolve("vireo");
    Files.copy(DeployTree.file("bin/vireo"), launcher);
    Path copy = tmp.resolve("vireo.service");
    String text = DeployTree.read(UNIT);
    assertThat(text).contains("ExecStart=" + LAUNCHER + " ");
    Files.writeString(copy, text.replace(LAUNCHER, launcher.toString()));

    ProcessRunner.Result result = ProcessRunner.run(
        List.of(tool.toString(), "verify", copy.toString()), Duration.ofSeconds(60));
    assertThat(result.exitCode()).as(result.output()).isZero();
    // Unknown keys and bad values are only warnings: the unit must not produce any.
    assertThat(result.output()).isBlank();
  }

  @Test
  void systemdAnalyzeSecurityRatesTheSandboxBelowThreeAndAHalf() throws Exception {
    Path tool = ExternalTool.require("systemd-analyze", "systemd");
    // Exposure 0 (locked down) to 10 (unprotected); the threshold is in tenths. The unit scores
    // 3.1: what stays open is the network (a mail server), JIT memory and the port 25 capability.
    ProcessRunner.Result result = ProcessRunner.run(
        List.of(tool.toString(), "security", "--offline=yes", "--threshold=35",
            DeployTree.file(UNIT).toString()),
        Duration.ofSeconds(60));
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void runsTheInstalledLauncherWithTheInstalledConfigAsADedicatedUser() throws Exception {
    assertThat(unit.one("Service", "ExecStart"))
        .isEqualTo(LAUNCHER + " serve --config /etc/vireo/vireo.yaml");
    assertThat(unit.one("Service", "Type")).isEqualTo("exec");
    assertThat(unit.one("Service", "User")).isEqualTo("vireo");
    assertThat(unit.one("Service", "Group")).isEqualTo("vireo");
    assertThat(unit.one("Install", "WantedBy")).isEqualTo("multi-user.target");
  }

  @Test
  void theSysusersFileCreatesTheServiceUserWithTheStateDirectoryAsHome() throws Exception {
    Path tool = ExternalTool.require("systemd-sysusers", "systemd");
    Path root = Files.createDirectories(tmp.resolve("root/etc"));
    ProcessRunner.Result result = ProcessRunner.run(
        List.of(tool.toString(), "--root=" + root.getParent(),
            DeployTree.file("deploy/systemd/vireo.sysusers").toString()),
        Duration.ofSeconds(60));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(Files.readAllLines(root.resolve("passwd")))
        .anySatisfy(line -> assertThat(line)
            .startsWith("vireo:x:")
            .endsWith(":/var/lib/vireo:/usr/sbin/nologin"));
  }

  @Test
  void theSpoolIsInTheStateDirectoryTheOnlyWritablePlace() {
    assertThat(unit.one("Service", "ProtectSystem")).isEqualTo("strict");
    assertThat(unit.one("Service", "StateDirectory")).isEqualTo("vireo");
    assertThat(unit.one("Service", "WorkingDirectory")).isEqualTo("/var/lib/vireo");
    assertThat(config.spool().dir()).startsWithRaw(Path.of("/var/lib/vireo/"));
    assertThat(unit.all("Service", "ReadWritePaths")).isEmpty();
  }

  @Test
  void sandboxingKeepsOnlyTheCapabilityToBindPort25() {
    assertThat(unit.one("Service", "NoNewPrivileges")).isEqualTo("yes");
    assertThat(unit.one("Service", "PrivateTmp")).isEqualTo("yes");
    assertThat(unit.one("Service", "ProtectHome")).isEqualTo("yes");
    assertThat(unit.one("Service", "AmbientCapabilities")).isEqualTo("CAP_NET_BIND_SERVICE");
    assertThat(unit.one("Service", "CapabilityBoundingSet")).isEqualTo("CAP_NET_BIND_SERVICE");
    // The JIT writes executable memory; a user namespace would make the capability useless.
    assertThat(unit.all("Service", "MemoryDenyWriteExecute")).isEmpty();
    assertThat(unit.all("Service", "PrivateUsers")).isEmpty();
    assertThat(config.listen().smtp()).extracting(HostPort::port).containsExactly(25);
  }

  @Test
  void startedMeansReadyAPollOfReadyzOnTheConfiguredAdminAddressWithinTheStartTimeout() {
    String admin = environment().get("VIREO_ADMIN");
    assertThat(HostPort.parse(admin)).isEqualTo(config.listen().admin());
    List<String> check = readinessCheck();
    assertThat(check.getFirst()).isEqualTo("/usr/bin/curl");
    assertThat(check).contains("--fail", "--retry-all-errors").last()
        .isEqualTo("http://${VIREO_ADMIN}/readyz");
    int retryMaxTime = Integer.parseInt(check.get(check.indexOf("--retry-max-time") + 1));
    assertThat(Duration.ofSeconds(retryMaxTime))
        .isLessThan(seconds(unit.one("Service", "TimeoutStartSec")));
  }

  @Test
  void theReadinessCheckWaitsThrough503UntilTheAdminServerAnswers200() throws Exception {
    Path curl = ExternalTool.require("curl", "curl");
    AtomicInteger requests = new AtomicInteger();
    HttpServer admin =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    admin.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    admin.createContext("/readyz", exchange -> {
      // Starting: not ready for the first two polls, as while the spool is being recovered.
      int status = requests.incrementAndGet() <= 2 ? 503 : 200;
      byte[] body = (status == 200 ? "ready" : "starting").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    admin.start();
    try {
      List<String> command = new ArrayList<>(readinessCheck());
      command.set(0, curl.toString());
      String address = "127.0.0.1:" + admin.getAddress().getPort();
      command.replaceAll(word -> word.replace("${VIREO_ADMIN}", address));

      ProcessRunner.Result result = ProcessRunner.run(command, Duration.ofSeconds(30));

      assertThat(result.exitCode()).as(result.output()).isZero();
      assertThat(requests).hasValue(3);
    } finally {
      admin.stop(0);
    }
  }

  @Test
  void reloadSendsSighupToTheJvm() {
    assertThat(unit.one("Service", "ExecReload")).isEqualTo("/bin/kill -HUP $MAINPID");
  }

  @Test
  void theStopTimeoutCoversTheDrainGraceWithAMargin() throws Exception {
    assertThat(unit.one("Service", "KillSignal")).isEqualTo("SIGTERM");
    Duration stop = seconds(unit.one("Service", "TimeoutStopSec"));
    assertThat(stop).isGreaterThanOrEqualTo(DeployTree.drainGrace().plusSeconds(10));
    assertThat(unit.one("Service", "SuccessExitStatus")).isEqualTo("143");
  }

  private static List<String> readinessCheck() {
    String line = unit.one("Service", "ExecStartPost");
    assertThat(line).as("ExecStartPost is one plain command").doesNotContain("\"", "'", "\\");
    return Arrays.asList(line.split(" +"));
  }

  private static Map<String, String> environment() {
    Map<String, String> environment = new LinkedHashMap<>();
    for (String assignment : unit.all("Service", "Environment")) {
      int equals = assignment.indexOf('=');
      environment.put(assignment.substring(0, equals), assignment.substring(equals + 1));
    }
    return environment;
  }

  private static Duration seconds(String value) {
    assertThat(value).as("a time span in plain seconds").matches("\\d+");
    return Duration.ofSeconds(Long.parseLong(value));
  }

  /** The sections of a unit file with each key's values in order (Environment= may repeat). */
  private record UnitFile(Map<String, Map<String, List<String>>> sections) {
    static UnitFile parse(String text) {
      Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
      Map<String, List<String>> current = null;
      for (String raw : text.split("\n")) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
          continue;
        }
        assertThat(line).as("no continuation lines").doesNotEndWith("\\");
        if (line.startsWith("[")) {
          current = sections.computeIfAbsent(line.substring(1, line.length() - 1),
              name -> new LinkedHashMap<>());
          continue;
        }
        assertThat(current).as("a key before any section: " + line).isNotNull();
        int equals = line.indexOf('=');
        current.computeIfAbsent(line.substring(0, equals).strip(), key -> new ArrayList<>())
            .add(line.substring(equals + 1).strip());
      }
      return new UnitFile(sections);
    }

    List<String> all(String section, String key) {
      return sections.getOrDefault(section, Map.of()).getOrDefault(key, List.of());
    }

    String one(String section, String key) {
      List<String> values = all(section, key);
      assertThat(values).as("[" + section + "] " + key).hasSize(1);
      return values.getFirst();
    }
  }
}
