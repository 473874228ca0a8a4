package io.vireo.relay.app;

import io.vireo.config.ConfigException;
import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.SpoolException;
import io.vireo.queue.Spool;
import io.vireo.queue.StoredMessage;
import io.vireo.queue.chronicle.ChronicleSpool;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vireo queue list|show}: inspects the spool read-only, also while the relay runs. */
@Command(
    name = "queue",
    description = "Inspect the queue.",
    subcommands = {QueueCommand.ListMessages.class, QueueCommand.Show.class})
final class QueueCommand {

  /** Where the spool is: {@code --spool DIR}, else {@code spool.dir} of the configuration. */
  static final class SpoolLocation {
    @Mixin ConfigOption config;

    @Option(names = "--spool", paramLabel = "DIR", description = "Spool directory (overrides the config).")
    Path spoolDir;

    Path resolve() throws ConfigException {
      return spoolDir != null ? spoolDir : config.load().spool().dir();
    }
  }

  @Command(name = "list", description = "List queued messages that still have undelivered recipients.")
  static final class ListMessages implements Callable<Integer> {
    @Mixin SpoolLocation location;

    @Option(names = "--json", description = "One JSON document instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      try (Spool spool = ChronicleSpool.openReadOnly(location.resolve())) {
        List<QueuedMessage> pending = spool.pending();
        PrintWriter out = new PrintWriter(System.out, false, java.nio.charset.StandardCharsets.UTF_8);
        if (json) {
          QueueFormat.writeJson(pending, out);
        } else {
          QueueFormat.writeTable(pending, out);
        }
        out.flush();
        return 0;
      } catch (ConfigException e) {
        System.err.println(e.getMessage());
        return 1;
      } catch (SpoolException e) {
        System.err.println("vireo: " + e.getMessage());
        return 1;
      }
    }
  }

  @Command(name = "show", description = "Show one message: envelope, recipient states and headers.")
  static final class Show implements Callable<Integer> {
    @Mixin SpoolLocation location;

    @Parameters(paramLabel = "ID", description = "Queue id, as in the 250 reply and the logs.")
    String id;

    @Override
    public Integer call() throws Exception {
      if (!MessageId.isValid(id)) {
        System.err.println("not a queue id: " + id);
        return 2;
      }
      MessageId messageId = new MessageId(id);
      try (Spool spool = ChronicleSpool.openReadOnly(location.resolve())) {
        Optional<QueuedMessage> message = spool.find(messageId);
        if (message.isEmpty()) {
          System.err.println("no such message in the queue: " + id);
          return 1;
        }
        Optional<StoredMessage> stored = spool.read(messageId);
        PrintWriter out = new PrintWriter(System.out, false, java.nio.charset.StandardCharsets.UTF_8);
        QueueFormat.writeDetail(message.get(), stored, out);
        out.flush();
        return 0;
      } catch (ConfigException e) {
        System.err.println(e.getMessage());
        return 1;
      } catch (SpoolException e) {
        System.err.println("vireo: " + e.getMessage());
        return 1;
      }
    }
  }
}
