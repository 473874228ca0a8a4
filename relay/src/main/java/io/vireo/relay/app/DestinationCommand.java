package io.vireo.relay.app;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vireo destination list|suspend|resume}: the destinations the running relay's delivery
 * knows now, and the operator's suspensions (kept across reloads, not across a restart).
 */
@Command(
    name = "destination",
    description = "Delivery destinations of the running relay.",
    subcommands = {
      DestinationCommand.ListDestinations.class,
      DestinationCommand.Suspend.class,
      DestinationCommand.Resume.class
    })
final class DestinationCommand {

  /** Suspends or resumes one destination through {@code POST /v1/destinations/<action>}. */
  static int steer(ConfigOption config, String action, String destination)
      throws InterruptedException {
    return QueueCommand.guarded(
        () -> {
          AdminApiClient.Answer answer;
          try {
            answer =
                AdminApiClient.forConfig(config.load())
                    .post(
                        "/v1/destinations/"
                            + action
                            + QueueCommand.queryString(Map.of("destination", destination)));
          } catch (AdminApiClient.NotRunningException e) {
            System.err.println(
                "vireo destination " + action + ": needs the relay running: " + e.getMessage());
            return 1;
          }
          if (answer.status() != 200) {
            return QueueCommand.failed(answer);
          }
          Map<?, ?> result = (Map<?, ?>) JsonValues.parse(answer.body());
          boolean changed = Boolean.TRUE.equals(result.get("changed"));
          System.out.printf(
              "%s: %s%s%n",
              destination,
              action.equals("suspend") ? "suspended" : "resumed",
              changed ? "" : " (already " + (action.equals("suspend") ? "suspended)" : "running)"));
          return 0;
        });
  }

  @Command(
      name = "suspend",
      description =
          "Stop delivering to a destination (a key from destination list) until resumed; lasts"
              + " across reloads, not across a restart.")
  static final class Suspend implements Callable<Integer> {
    @Mixin ConfigOption config;

    @picocli.CommandLine.Parameters(paramLabel = "DESTINATION", description = "As destination list shows it, e.g. mx:mx1.example.com or route:10.0.0.5:25.")
    String destination;

    @Override
    public Integer call() throws InterruptedException {
      return steer(config, "suspend", destination);
    }
  }

  @Command(name = "resume", description = "Deliver to a suspended destination again.")
  static final class Resume implements Callable<Integer> {
    @Mixin ConfigOption config;

    @picocli.CommandLine.Parameters(paramLabel = "DESTINATION", description = "As destination list shows it.")
    String destination;

    @Override
    public Integer call() throws InterruptedException {
      return steer(config, "resume", destination);
    }
  }

  @Command(name = "list", description = "Destinations with their ready jobs, workers and backoff.")
  static final class ListDestinations implements Callable<Integer> {
    @Mixin ConfigOption config;

    @Option(names = "--json", description = "The JSON document of GET /v1/destinations.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
      return QueueCommand.guarded(
          () -> {
            AdminApiClient.Answer answer;
            try {
              answer = AdminApiClient.forConfig(config.load()).get("/v1/destinations");
            } catch (AdminApiClient.NotRunningException e) {
              // Destinations live in the running delivery engine; a stopped spool has none.
              System.err.println("vireo destination list: needs the relay running: " + e.getMessage());
              return 1;
            }
            if (answer.status() != 200) {
              return QueueCommand.failed(answer);
            }
            if (json) {
              System.out.print(answer.body());
              return 0;
            }
            System.out.printf("%-40s %7s %7s %9s  %s%n", "DESTINATION", "QUEUED", "WORKERS", "SUSPENDED", "OLDEST");
            List<?> destinations =
                (List<?>) ((Map<?, ?>) JsonValues.parse(answer.body())).get("destinations");
            for (Object item : destinations) {
              Map<?, ?> d = (Map<?, ?>) item;
              System.out.printf(
                  "%-40s %7s %7s %9s  %s%n",
                  d.get("destination"),
                  d.get("queued"),
                  d.get("workers"),
                  d.get("suspended"),
                  Optional.ofNullable(d.get("oldest_arrival")).orElse("-"));
            }
            System.out.printf("-- %d destination%s%n", destinations.size(), destinations.size() == 1 ? "" : "s");
            return 0;
          });
    }
  }
}
