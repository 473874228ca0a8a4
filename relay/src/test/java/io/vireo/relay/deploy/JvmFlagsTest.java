package io.vireo.relay.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/jvm.flags is the one list of JVM flags: the build's test JVMs and bin/vireo both run with it.
 */
class JvmFlagsTest {
  @TempDir Path home;

  @Test
  void theFileHoldsChroniclesFlagsTheAnalyticsSwitchAndTheHttpServersLimits() throws Exception {
    assertThat(DeployTree.jvmFlags())
        .contains(
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow",
            "-Dchronicle.analytics.disable=true",
            // HttpRequestTimeIntegrationTest: without these a trickled request head holds a
            // connection to the API or admin server for ever.
            "-Dsun.net.httpserver.maxReqTime=300",
            "-Dsun.net.httpserver.maxConnections=4096")
        .doesNotHaveDuplicates()
        .allSatisfy(flag -> assertThat(flag).startsWith("-"));
  }

  @Test
  void surefireStartedThisJvmWithTheFileAsJavaReadsIt() throws Exception {
    // The root pom passes @bin/jvm.flags; the JVM reports the flags it expanded from it, in order.
    List<String> inputArguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
    List<String> flags = DeployTree.jvmFlags();
    assertThat(Collections.indexOfSubList(inputArguments, flags))
        .as("flags of bin/jvm.flags in this JVM's arguments %s", inputArguments)
        .isNotNegative();
  }

  @Test
  void theLauncherRunsJavaWithTheFileFlagsItsHeapAndTheCli() throws Exception {
    List<String> commandLine =
        DeployTree.launcherCommandLine(home, "serve", "--config", "/etc/vireo/vireo.yaml");

    List<String> expected = new ArrayList<>(DeployTree.jvmFlags());
    expected.addAll(List.of(
        "-Xmx1g",
        "-cp",
        home.resolve("lib/vireo-relay.jar") + ":" + home.resolve("lib") + "/*",
        "io.vireo.relay.app.VireoCommand",
        "serve",
        "--config",
        "/etc/vireo/vireo.yaml"));
    assertThat(commandLine).containsExactlyElementsOf(expected);
  }
}
