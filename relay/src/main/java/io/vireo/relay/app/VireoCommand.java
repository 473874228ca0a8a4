package io.vireo.relay.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vireo} command line: the entry point bin/vireo runs. */
@Command(
    name = "vireo",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Vireo: a durable, high-throughput SMTP relay.",
    subcommands = {
      ServeCommand.class,
      ReloadCommand.class,
      QueueCommand.class,
      DestinationCommand.class,
      SpoolCommand.class,
      ConfigCommand.class,
      UserCommand.class,
      SuppressionCommand.class,
      ApiKeyCommand.class,
      SendCommand.class,
      VersionCommand.class
    })
public final class VireoCommand implements Runnable {
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
  }

  public static void main(String[] args) {
    // Only the relay itself logs to standard output; every other command keeps its standard output
    // for its own result (a --json document, say), so its log lines and Chronicle's go to stderr.
    // Set before the first logger exists: logback.xml reads it once.
    if (args.length == 0 || !args[0].equals("serve")) {
      System.setProperty("VIREO_LOG_TARGET", "System.err");
    }
    // For serve, execute() returns only once the shutdown hook has stopped the relay; exiting from
    // inside a shutdown then simply waits for the JVM's own halt.
    System.exit(new CommandLine(new VireoCommand()).execute(args));
  }
}
