package io.vireo.relay.app;

import io.vireo.config.ConfigException;
import io.vireo.config.Rate;
import io.vireo.relay.api.ApiKey;
import io.vireo.relay.api.ApiKeys;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vireo apikey create|list|remove}: manages the HTTP API's keys in {@code api.keys-file}.
 * {@code create} prints the new key alone on the last line of standard output, once: only its hash
 * is stored. A running relay picks changes up within a second.
 */
@Command(
    name = "apikey",
    description = "Manage the HTTP send API's keys (api.keys-file).",
    subcommands = {ApiKeyCommand.Create.class, ApiKeyCommand.ListKeys.class, ApiKeyCommand.Remove.class})
final class ApiKeyCommand {
  /** The keys file named by {@code api.keys-file}. */
  static final class KeysLocation {
    @Mixin ConfigOption config;

    ApiKeys resolve() throws ConfigException, UserCommand.UsageException {
      return new ApiKeys(
          config
              .load()
              .api()
              .keysFile()
              .orElseThrow(
                  () ->
                      new UserCommand.UsageException(
                          "api.keys-file is not set in the configuration; set it to the file that"
                              + " should hold the API keys")));
    }
  }

  @Command(
      name = "create",
      description = "Create a key and print it (alone, on the last line); it is not shown again.")
  static final class Create implements Callable<Integer> {
    @Mixin KeysLocation location;

    @Parameters(paramLabel = "NAME", description = "A name for the key: 1-64 of A-Z a-z 0-9 . _ -")
    String name;

    @Option(
        names = "--sender",
        paramLabel = "DOMAIN",
        arity = "1..*",
        description = "Sender domain the key may use (and its subdomains); repeatable. None: any.")
    List<String> senders = List.of();

    @Option(names = "--rate", paramLabel = "RATE", description = "This key's rate, e.g. 50/s (default: api.rate).")
    String rate;

    @Override
    public Integer call() {
      return run(
          () -> {
            Optional<Rate> own = Optional.empty();
            if (rate != null) {
              try {
                own = Optional.of(Rate.parse(rate));
              } catch (IllegalArgumentException e) {
                throw new UserCommand.UsageException("--rate: not a rate: " + rate);
              }
            }
            String secret = location.resolve().create(name, senders, own);
            System.out.println(
                "created API key "
                    + name
                    + (senders.isEmpty() ? " (any sender)" : " for " + String.join(", ", senders))
                    + "; it is shown once, here:");
            System.out.println(secret);
          });
    }
  }

  @Command(name = "list", description = "List the keys: name, rate and sender domains.")
  static final class ListKeys implements Callable<Integer> {
    @Mixin KeysLocation location;

    @Override
    public Integer call() {
      return run(
          () -> {
            for (ApiKey key : location.resolve().list()) {
              System.out.println(
                  key.name()
                      + "\t"
                      + key.rate().map(Rate::toString).orElse("default")
                      + "\t"
                      + (key.senderDomains().isEmpty() ? "*" : String.join(",", key.senderDomains())));
            }
          });
    }
  }

  @Command(name = "remove", description = "Remove a key: requests with it get 401 from then on.")
  static final class Remove implements Callable<Integer> {
    @Mixin KeysLocation location;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      return run(
          () -> {
            if (!location.resolve().remove(name)) {
              throw new UserCommand.UsageException("no such key: " + name);
            }
            System.out.println("removed " + name);
          });
    }
  }

  private static int run(CommandRun.Action action) {
    return CommandRun.run("vireo apikey", IllegalArgumentException.class, action);
  }
}
