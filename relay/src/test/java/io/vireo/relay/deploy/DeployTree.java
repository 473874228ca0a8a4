package io.vireo.relay.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigException;
import io.vireo.config.ConfigLoader;
import io.vireo.config.VireoConfig;
import io.vireo.relay.app.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The source tree's deployment files as the tests read them: the repository root, YAML documents,
 * the JVM flag file, example configs through the real config loader, and the launcher's java
 * command line.
 */
final class DeployTree {
  /**
   * The drain grace of shutdown.grace when config/vireo.yaml does not name it (issue 9 sets 30s as
   * its default); stop timeouts must leave room for it.
   */
  static final Duration DEFAULT_DRAIN_GRACE = Duration.ofSeconds(30);

  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(s|m)");

  private DeployTree() {}

  /** The repository root: tests run in the relay module's directory. */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
      if (Files.isRegularFile(candidate.resolve("mvnw"))
          && Files.isDirectory(candidate.resolve("deploy"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("no repository root above " + dir);
  }

  static Path file(String relative) {
    Path path = root().resolve(relative);
    assertThat(path).as(relative).isRegularFile();
    return path;
  }

  static String read(String relative) throws IOException {
    return Files.readString(file(relative), StandardCharsets.UTF_8);
  }

  /** Every YAML document in the file, as SnakeYAML's plain maps, lists and scalars. */
  static List<Object> yamlDocuments(String relative) throws IOException {
    List<Object> documents = new ArrayList<>();
    new Load(LoadSettings.builder().setLabel(relative).build())
        .loadAllFromString(read(relative))
        .forEach(documents::add);
    return documents;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> yamlMap(String relative) throws IOException {
    List<Object> documents = yamlDocuments(relative);
    assertThat(documents).as(relative + " documents").hasSize(1);
    assertThat(documents.getFirst()).as(relative).isInstanceOf(Map.class);
    return (Map<String, Object>) documents.getFirst();
  }

  /** A value at a dotted path of nested maps, such as {@code spec.template.metadata.labels}. */
  @SuppressWarnings("unchecked")
  static <T> T at(Object node, String dottedPath) {
    Object current = node;
    for (String key : dottedPath.split("\\.")) {
      assertThat(current).as("parent of '" + key + "' in " + dottedPath).isInstanceOf(Map.class);
      Map<String, Object> map = (Map<String, Object>) current;
      assertThat(map).as(dottedPath).containsKey(key);
      current = map.get(key);
    }
    return (T) current;
  }

  /** An example vireo.yaml, loaded and validated by the relay's own config loader. */
  static VireoConfig config(String relative) throws ConfigException {
    return ConfigLoader.load(file(relative));
  }

  /** shutdown.grace as config/vireo.yaml sets it, or its default. */
  static Duration drainGrace() throws IOException {
    Map<String, Object> defaults = yamlMap("config/vireo.yaml");
    if (!(defaults.get("shutdown") instanceof Map<?, ?> shutdown)
        || shutdown.get("grace") == null) {
      return DEFAULT_DRAIN_GRACE;
    }
    String text = String.valueOf(shutdown.get("grace"));
    Matcher matcher = SIMPLE_DURATION.matcher(text);
    assertThat(matcher.matches())
        .as("shutdown.grace '" + text + "' in seconds or minutes")
        .isTrue();
    long amount = Long.parseLong(matcher.group(1));
    return matcher.group(2).equals("m") ? Duration.ofMinutes(amount) : Duration.ofSeconds(amount);
  }

  /**
   * The flags of bin/jvm.flags, read as the launchers read them (comments stripped, split on
   * whitespace); the file promises no quotes or escapes, so java's own reader sees the same list.
   */
  static List<String> jvmFlags() throws IOException {
    return jvmFlags(read("bin/jvm.flags"));
  }

  static List<String> jvmFlags(String argumentFile) {
    List<String> flags = new ArrayList<>();
    for (String line : argumentFile.split("\n")) {
      int comment = line.indexOf('#');
      String content = comment < 0 ? line : line.substring(0, comment);
      assertThat(content).as("a flag line of bin/jvm.flags").doesNotContain("\"", "'", "\\");
      Arrays.stream(content.trim().split("\\s+"))
          .filter(word -> !word.isEmpty())
          .forEach(flags::add);
    }
    return flags;
  }

  /**
   * The java command line bin/vireo runs from an installed tree ({@code home}/bin and lib, as
   * deploy/ lays it out), captured by a stand-in java that reports version 25 and records its
   * arguments instead of starting a JVM.
   */
  static List<String> launcherCommandLine(Path home, String... args)
      throws IOException, InterruptedException {
    Path bin = Files.createDirectories(home.resolve("bin"));
    for (String name : List.of("vireo", "jdk.sh", "jvm.flags")) {
      Files.copy(file("bin/" + name), bin.resolve(name));
    }
    Files.createDirectories(home.resolve("lib"));
    Files.createFile(home.resolve("lib/vireo-relay.jar"));
    Path recorded = home.resolve("java-args");
    Path java = Files.createDirectories(home.resolve("jdk/bin")).resolve("java");
    Files.writeString(java, """
        #!/bin/sh
        case "$*" in
          *-XshowSettings:properties*) echo '    java.specification.version = 25' >&2; exit 0 ;;
        esac
        printf '%%s\\n' "$@" > '%s'
        """.formatted(recorded));
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

    List<String> command = new ArrayList<>(List.of(
        "/usr/bin/env", "-u", "VIREO_HEAP", "-u", "VIREO_JAVA_OPTS",
        "JAVA_HOME=" + home.resolve("jdk"), home.resolve("bin/vireo").toString()));
    command.addAll(List.of(args));
    ProcessRunner.Result result = ProcessRunner.run(command, Duration.ofSeconds(30));
    assertThat(result.exitCode()).as("bin/vireo: " + result.output()).isZero();
    return Files.readAllLines(recorded, StandardCharsets.UTF_8);
  }
}
