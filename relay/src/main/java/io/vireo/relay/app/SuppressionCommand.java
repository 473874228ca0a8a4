package io.vireo.relay.app;

import io.vireo.config.VireoConfig;
import io.vireo.relay.suppression.Suppression;
import io.vireo.relay.suppression.SuppressionJson;
import io.vireo.relay.suppression.SuppressionList;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vireo suppression list|add|remove}: the suppression list of the running relay, through
 * {@code /v1/suppressions} of its admin API; with the relay stopped, the list's file itself (the
 * running relay holds a lock on it, so the two never write at once).
 */
@Command(
    name = "suppression",
    description = "The suppression list: addresses mail is not sent to.",
    subcommands = {
      SuppressionCommand.ListEntries.class,
      SuppressionCommand.Add.class,
      SuppressionCommand.Remove.class
    })
final class SuppressionCommand {

  /** What a command does with the relay running, and with the list's file when it is not. */
  interface Action {
    int live(AdminApiClient admin) throws Exception;

    int offline(SuppressionList list) throws Exception;
  }

  static int run(ConfigOption option, Action action) throws InterruptedException {
    return QueueCommand.guarded(
        () -> {
          VireoConfig config = option.load();
          if (!config.suppression().enabled()) {
            System.err.println("vireo suppression: the list is off (suppression.enabled: false)");
            return 1;
          }
          try {
            return action.live(AdminApiClient.forConfig(config));
          } catch (AdminApiClient.NotRunningException e) {
            try (SuppressionList list =
                SuppressionList.open(
                    config.suppression().fileFor(config.spool().dir()),
                    config.suppression().expireAfter(),
                    Clock.systemUTC())) {
              return action.offline(list);
            }
          }
        });
  }

  @Command(name = "list", description = "The suppressed addresses, with reason and expiry.")
  static final class ListEntries implements Callable<Integer> {
    @Mixin ConfigOption config;

    @Option(names = "--json", description = "The JSON document of GET /v1/suppressions.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
      return run(
          config,
          new Action() {
            @Override
            public int live(AdminApiClient admin) throws Exception {
              AdminApiClient.Answer answer = admin.get("/v1/suppressions");
              return answer.status() == 200 ? print(answer.body()) : QueueCommand.failed(answer);
            }

            @Override
            public int offline(SuppressionList list) throws Exception {
              return print(new String(SuppressionJson.list(list.list()), StandardCharsets.UTF_8));
            }
          });
    }

    private int print(String body) throws java.io.IOException {
      if (json) {
        System.out.print(body);
        return 0;
      }
      List<?> entries = (List<?>) ((Map<?, ?>) JsonValues.parse(body)).get("suppressions");
      System.out.printf("%-40s %-24s %-24s %s%n", "ADDRESS", "ADDED", "EXPIRES", "REASON");
      for (Object item : entries) {
        Map<?, ?> e = (Map<?, ?>) item;
        System.out.printf(
            "%-40s %-24s %-24s %s%n",
            e.get("address"),
            e.get("added"),
            e.get("expires") == null ? "never" : e.get("expires"),
            e.get("reason"));
      }
      System.out.printf("-- %d suppression%s%n", entries.size(), entries.size() == 1 ? "" : "s");
      return 0;
    }
  }

  @Command(name = "add", description = "Suppress an address (for suppression.expire-after).")
  static final class Add implements Callable<Integer> {
    @Mixin ConfigOption config;

    @Parameters(paramLabel = "ADDRESS")
    String address;

    @Option(names = "--reason", description = "Why (default: added by an operator).")
    String reason = "added by an operator";

    @Override
    public Integer call() throws InterruptedException {
      return run(
          config,
          new Action() {
            @Override
            public int live(AdminApiClient admin) throws Exception {
              AdminApiClient.Answer answer =
                  admin.post("/v1/suppressions?address=" + encode(address) + "&reason=" + encode(reason));
              if (answer.status() / 100 != 2) {
                return QueueCommand.failed(answer);
              }
              Map<?, ?> entry = (Map<?, ?>) JsonValues.parse(answer.body());
              return printed(String.valueOf(entry.get("address")), entry.get("expires"));
            }

            @Override
            public int offline(SuppressionList list) throws Exception {
              Suppression s = list.add(address, reason);
              return printed(s.address(), s.expires());
            }
          });
    }

    private static int printed(String address, Object expires) {
      System.out.println("suppressed " + address + " until " + (expires == null ? "removed" : expires));
      return 0;
    }
  }

  @Command(name = "remove", description = "Lift the suppression of an address.")
  static final class Remove implements Callable<Integer> {
    @Mixin ConfigOption config;

    @Parameters(paramLabel = "ADDRESS")
    String address;

    @Override
    public Integer call() throws InterruptedException {
      return run(
          config,
          new Action() {
            @Override
            public int live(AdminApiClient admin) throws Exception {
              AdminApiClient.Answer answer =
                  admin.delete("/v1/suppressions/" + encode(address).replace("+", "%20"));
              if (answer.status() == 404) {
                return notListed();
              }
              return answer.status() == 200 ? removed() : QueueCommand.failed(answer);
            }

            @Override
            public int offline(SuppressionList list) throws Exception {
              return list.remove(address) ? removed() : notListed();
            }
          });
    }

    private int removed() {
      System.out.println("removed " + address);
      return 0;
    }

    private int notListed() {
      System.err.println("vireo suppression remove: " + address + " is not on the list");
      return 1;
    }
  }

  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
