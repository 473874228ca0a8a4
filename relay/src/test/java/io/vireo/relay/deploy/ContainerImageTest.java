package io.vireo.relay.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.HostPort;
import io.vireo.config.VireoConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * deploy/container/Containerfile, read instruction by instruction (no registry is reachable here to
 * build it): its stages, user, volume and health check, and its java command line against the one
 * bin/vireo runs.
 */
class ContainerImageTest {
  private static final String CONTAINERFILE = "deploy/container/Containerfile";
  private static final String IMAGE_CONFIG = "/etc/vireo/vireo.yaml";

  private static List<Instruction> instructions;
  private static VireoConfig config;

  @TempDir Path home;

  @BeforeAll
  static void read() throws Exception {
    instructions = Instruction.parse(DeployTree.read(CONTAINERFILE));
    config = DeployTree.config("deploy/container/vireo.yaml");
  }

  @Test
  void buildsWithTheMavenWrapperOnATemurin25JdkAndRunsOnATemurin25Jre() {
    List<Instruction> from = all("FROM");
    assertThat(from).hasSize(2);
    assertThat(from.getFirst().arguments()).matches(".*/eclipse-temurin:25-jdk\\S* AS build");
    assertThat(from.getLast().arguments()).matches(".*/eclipse-temurin:25-jre\\S*");
    assertThat(all("RUN")).anySatisfy(run -> assertThat(run.arguments())
        .contains("./mvnw ", "-pl relay -am package"));
    assertThat(instructions).anySatisfy(copy -> assertThat(copy.line())
        .isEqualTo("COPY --from=build /src/relay/target/vireo-relay.jar /src/relay/target/lib/"
            + " /opt/vireo/lib/"));
  }

  @Test
  void runsAsTheNonRootUserItCreates() {
    String user = one("USER").arguments();
    assertThat(user).isEqualTo("10001:10001");
    assertThat(all("RUN")).anySatisfy(run -> assertThat(run.arguments())
        .contains("useradd --system --uid 10001 --gid vireo"));
  }

  @Test
  void theSpoolIsOnTheVolumeAndTheConfigIsTheOneCopiedIn() throws Exception {
    List<String> volumes = json(one("VOLUME").arguments());
    assertThat(volumes).hasSize(1);
    assertThat(config.spool().dir()).startsWithRaw(Path.of(volumes.getFirst()));
    assertThat(one("WORKDIR").arguments()).isEqualTo(volumes.getFirst());
    assertThat(instructions).anySatisfy(copy -> assertThat(copy.line())
        .isEqualTo("COPY deploy/container/vireo.yaml " + IMAGE_CONFIG));
    assertThat(json(one("CMD").arguments()))
        .containsExactly("serve", "--config", IMAGE_CONFIG);
  }

  @Test
  void exposesTheConfiguredPortsAndChecksHealthOnTheAdminPort() {
    int smtp = config.listen().smtp().getFirst().port();
    HostPort admin = config.listen().admin();
    assertThat(config.listen().smtp().getFirst().host()).isEqualTo("0.0.0.0");
    assertThat(one("EXPOSE").arguments()).isEqualTo(smtp + " " + admin.port());

    String healthCheck = one("HEALTHCHECK").arguments();
    assertThat(healthCheck).contains("--start-period=", " CMD [");
    List<String> command = json(healthCheck.substring(healthCheck.indexOf(" CMD ") + 5));
    // The check runs inside the container: loopback reaches the admin server on either binding.
    assertThat(admin.host()).isIn("127.0.0.1", "0.0.0.0");
    assertThat(command).first().isEqualTo("curl");
    assertThat(command).contains("--fail").last()
        .isEqualTo("http://127.0.0.1:" + admin.port() + "/healthz");
  }

  @Test
  void theImageRunsJavaWithTheLaunchersFlagsFromTheSameFile() throws Exception {
    List<String> entrypoint = json(one("ENTRYPOINT").arguments());
    List<String> launched =
        DeployTree.launcherCommandLine(home, json(one("CMD").arguments()).toArray(String[]::new));

    assertThat(entrypoint.getFirst()).isEqualTo("java");
    // The image's JVM options, its @-file expanded from the file the image copies it from.
    List<String> imageOptions = new ArrayList<>();
    for (String word : options(entrypoint.subList(1, entrypoint.size()))) {
      if (word.startsWith("@")) {
        imageOptions.addAll(DeployTree.jvmFlags(DeployTree.read(copiedFrom(word.substring(1)))));
      } else {
        imageOptions.add(word);
      }
    }
    List<String> launcherOptions = options(launched);

    // Only the heap differs: bin/vireo's fixed 1 GiB, the image's share of its memory limit.
    assertThat(launcherOptions).contains("-Xmx1g");
    assertThat(imageOptions).contains("-XX:MaxRAMPercentage=75");
    assertThat(withoutHeap(imageOptions))
        .containsExactlyElementsOf(withoutHeap(launcherOptions))
        .containsExactlyElementsOf(DeployTree.jvmFlags());

    // The same class path layout (lib/ of the installed tree), main class and arguments.
    assertThat(afterOptions(entrypoint.subList(1, entrypoint.size())))
        .containsExactly("-cp", "/opt/vireo/lib/*", "io.vireo.relay.app.VireoCommand");
    List<String> launcherRest = afterOptions(launched);
    assertThat(launcherRest.get(1).split(":"))
        .containsExactly(home + "/lib/vireo-relay.jar", home + "/lib/*");
    assertThat(launcherRest.subList(2, launcherRest.size()))
        .containsExactly("io.vireo.relay.app.VireoCommand", "serve", "--config", IMAGE_CONFIG);
  }

  @Test
  void theInstalledTreeIsTheSystemdOneAndItsSourcesExist() throws Exception {
    assertThat(instructions).anySatisfy(copy -> assertThat(copy.line())
        .isEqualTo("COPY bin/vireo bin/jdk.sh bin/jvm.flags /opt/vireo/bin/"));
    for (String source : List.of("bin/vireo", "bin/jdk.sh", "bin/jvm.flags")) {
      DeployTree.file(source);
    }
    // The build context leaves out build output and history (.dockerignore, read by both tools).
    assertThat(DeployTree.read(".dockerignore").lines()).contains(".git", "**/target");
  }

  /** The repository file the image's {@code imagePath} is copied from (COPY without --from). */
  private static String copiedFrom(String imagePath) {
    for (Instruction copy : all("COPY")) {
      List<String> words = List.of(copy.arguments().split(" +"));
      if (words.getFirst().startsWith("--")) {
        continue;
      }
      String destination = words.getLast();
      for (String source : words.subList(0, words.size() - 1)) {
        String target = destination.endsWith("/")
            ? destination + Path.of(source).getFileName()
            : destination;
        if (target.equals(imagePath)) {
          return source;
        }
      }
    }
    throw new AssertionError("no COPY from the build context puts a file at " + imagePath);
  }

  private static List<String> options(List<String> javaArguments) {
    return javaArguments.subList(0, javaArguments.indexOf("-cp"));
  }

  private static List<String> afterOptions(List<String> javaArguments) {
    return javaArguments.subList(javaArguments.indexOf("-cp"), javaArguments.size());
  }

  private static List<String> withoutHeap(List<String> options) {
    return options.stream()
        .filter(option -> !option.startsWith("-Xmx") && !option.startsWith("-XX:MaxRAMPercentage"))
        .toList();
  }

  @SuppressWarnings("unchecked")
  private static List<String> json(String array) {
    Object parsed = new Load(LoadSettings.builder().build()).loadFromString(array);
    assertThat(parsed).as("exec form: " + array).isInstanceOf(List.class);
    return (List<String>) parsed;
  }

  private static List<Instruction> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  /** The only {@code keyword} instruction of the final (runtime) stage. */
  private static Instruction one(String keyword) {
    int lastFrom = instructions.lastIndexOf(all("FROM").getLast());
    List<Instruction> runtime = instructions.subList(lastFrom, instructions.size()).stream()
        .filter(i -> i.keyword().equals(keyword))
        .toList();
    assertThat(runtime).as(keyword + " in the runtime stage").hasSize(1);
    return runtime.getFirst();
  }

  /** One Containerfile instruction, its continuation lines joined, comments dropped. */
  private record Instruction(String keyword, String arguments) {
    private static final Pattern INSTRUCTION = Pattern.compile("([A-Z]+)\\s+(.*)");

    String line() {
      return keyword + " " + arguments;
    }

    static List<Instruction> parse(String text) {
      List<Instruction> parsed = new ArrayList<>();
      StringBuilder pending = new StringBuilder();
      for (String raw : text.split("\n")) {
        String line = raw.strip();
        if (line.startsWith("#") || (line.isEmpty() && pending.isEmpty())) {
          continue;
        }
        if (line.endsWith("\\")) {
          pending.append(line, 0, line.length() - 1).append(' ');
          continue;
        }
        pending.append(line);
        Matcher matcher = INSTRUCTION.matcher(pending.toString().replaceAll("\\s+", " ").strip());
        assertThat(matcher.matches()).as("an instruction: " + pending).isTrue();
        parsed.add(new Instruction(matcher.group(1), matcher.group(2)));
        pending.setLength(0);
      }
      assertThat(pending).as("a dangling continuation").isEmpty();
      return parsed;
    }
  }
}
