package io.vireo.relay.app;

import io.vireo.config.ConfigException;
import io.vireo.config.ConfigLoader;
import io.vireo.config.ConfigPrinter;
import io.vireo.config.VireoConfig;
import io.vireo.relay.admin.AdminAccess;
import io.vireo.relay.admin.AdminSetupException;
import io.vireo.relay.delivery.schedule.limits.RedisAccess;
import io.vireo.relay.dkim.DkimSigner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vireo config check FILE}: validates a configuration file without starting anything. */
@Command(name = "config", description = "Configuration tools.", subcommands = ConfigCommand.Check.class)
final class ConfigCommand {

  @Command(name = "check", description = "Validate a configuration file and the TLS and users files it names; exit 1 and name each problem if it is bad.")
  static final class Check implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The YAML file to check.")
    Path file;

    @Option(names = "--print", description = "Print the effective configuration, defaults filled in.")
    boolean print;

    @Override
    public Integer call() {
      try {
        VireoConfig config = ConfigLoader.load(file);
        // The files it names must load too: a bad certificate or DKIM key would stop the start.
        Relay.security(config, Clock.systemUTC());
        // The token file is read at start-up; check it now, as serve would.
        AdminAccess.forAddress(
            config.listen().admin().toSocketAddress().getAddress(), config.admin().token());
        DkimSigner.load(config.dkim(), Clock.systemUTC());
        // The Redis password and CA files too (read, not tried: Redis may not be reachable here).
        RedisAccess.load(config.cluster());
        if (print) {
          System.out.print(ConfigPrinter.renderRedacted(config));
        } else {
          System.out.println(file + ": ok");
        }
        return 0;
      } catch (ConfigException e) {
        System.err.println(e.getMessage());
        return 1;
      } catch (IOException | AdminSetupException e) {
        System.err.println(file + ": " + e.getMessage());
        return 1;
      }
    }
  }
}
