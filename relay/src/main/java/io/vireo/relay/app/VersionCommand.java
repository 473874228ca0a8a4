package io.vireo.relay.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code vireo version}: the same line as {@code vireo --version}. */
@Command(name = "version", description = "Print the version and exit.")
final class VersionCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.out.println(new VersionProvider().getVersion()[0]);
    return 0;
  }
}
