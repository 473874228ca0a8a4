package io.vireo.relay.app;

import io.vireo.config.ConfigException;
import io.vireo.config.VireoConfig;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vireo reload}: asks the running relay, through its admin API ({@code POST /v1/reload}), to
 * read its configuration file again. Exit 0 when applied, 1 when refused or not running.
 */
@Command(
    name = "reload",
    description =
        "Make the running relay re-read its configuration file (as SIGHUP does); a bad file is"
            + " refused and the old configuration stays in force.")
final class ReloadCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--json", description = "Print the relay's JSON answer as it is.")
  boolean json;

  @Override
  public Integer call() throws InterruptedException {
    VireoConfig loaded;
    try {
      loaded = config.load();
    } catch (ConfigException e) {
      // The file names the admin address, so a bad one cannot even be sent: say so, with the
      // same messages as config check (the relay would refuse it with these).
      System.err.println(e.getMessage());
      System.err.println(
          "vireo reload: refused, the old configuration stays in force (nothing was sent to the"
              + " relay)");
      return 1;
    }
    AdminApiClient.Answer answer;
    try {
      answer = AdminApiClient.forConfig(loaded).post("/v1/reload");
    } catch (IOException e) {
      System.err.println("vireo reload: " + e.getMessage());
      return 1;
    }
    if (json) {
      (answer.status() == 200 ? System.out : System.err).print(answer.body());
      return answer.status() == 200 ? 0 : 1;
    }
    if (answer.status() != 200) {
      System.err.println("vireo reload: refused, the old configuration stays in force:");
      System.err.println(JsonValues.errorMessage(answer.body()));
      return 1;
    }
    try {
      Map<?, ?> body = (Map<?, ?>) JsonValues.parse(answer.body());
      System.out.println("reloaded " + body.get("file"));
      List<?> changed = (List<?>) body.get("changed");
      System.out.println(
          "changed: " + (changed.isEmpty() ? "nothing" : String.join(", ", strings(changed))));
      List<?> restart = (List<?>) body.get("restart_required");
      if (!restart.isEmpty()) {
        System.out.println(
            "needs a restart (old value still in force): " + String.join(", ", strings(restart)));
      }
    } catch (IOException | ClassCastException e) {
      System.out.print(answer.body());
    }
    return 0;
  }

  private static List<String> strings(List<?> values) {
    return values.stream().map(String::valueOf).toList();
  }
}
