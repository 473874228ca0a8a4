package io.vireo.relay.app;

import io.vireo.config.ConfigException;
import io.vireo.queue.SpoolException;
import io.vireo.queue.SpoolFinding;
import io.vireo.queue.chronicle.ChronicleSpool;
import io.vireo.queue.chronicle.SpoolCheckReport;
import java.io.PrintStream;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vireo spool check [--repair]}: offline verification and repair of the spool's journals. */
@Command(
    name = "spool",
    description = "Verify or repair the spool.",
    subcommands = {SpoolCommand.Check.class})
final class SpoolCommand {
  /** Exit codes: 0 sound (or repaired), 1 damage found and left, 2 the check could not run. */
  static final int SOUND = 0;

  static final int DAMAGED = 1;
  static final int FAILED = 2;

  @Command(
      name = "check",
      description =
          "Verify both journals record by record (structure, checksums, content CRCs, stray files,"
              + " lost events). Exit 0 when sound or repaired, 1 when damaged, 2 on error.")
  static final class Check implements Callable<Integer> {
    @Mixin QueueCommand.SpoolLocation location;

    @Option(
        names = "--repair",
        description =
            "Quarantine what is damaged (to <spool>/quarantine/) and rewrite the journals so the"
                + " relay starts on them. Needs the relay stopped.")
    boolean repair;

    @Override
    public Integer call() {
      PrintStream out = System.out;
      SpoolCheckReport report;
      try {
        report = ChronicleSpool.check(location.resolve(), repair, Clock.systemUTC());
      } catch (ConfigException | SpoolException e) {
        System.err.println("vireo: " + e.getMessage());
        return FAILED;
      }
      out.printf(
          "spool %s: %d message record(s), %d event record(s); %d queued message(s), %d recipient(s)"
              + " not yet final%n",
          report.directory(),
          report.messageRecords(),
          report.eventRecords(),
          report.queuedMessages(),
          report.pendingRecipients());
      for (SpoolFinding finding : report.findings()) {
        out.println("DAMAGED " + finding.kind().name().toLowerCase() + ": " + finding.describe());
      }
      if (!report.damaged()) {
        out.println("OK: no damage found");
        return SOUND;
      }
      if (report.repair() != null) {
        out.println("REPAIRED: " + report.repair());
        return SOUND;
      }
      out.println(
          report.findings().size()
              + " problem(s); run 'vireo spool check --repair' with the relay stopped (the relay"
              + " also repairs at start, except a lost events journal, which needs --repair)");
      return DAMAGED;
    }
  }
}
