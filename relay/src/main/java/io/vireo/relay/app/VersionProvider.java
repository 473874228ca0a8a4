package io.vireo.relay.app;

import picocli.CommandLine.IVersionProvider;

/** Reports the version stamped into the jar manifest by Maven (or "dev" when run from classes). */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = VireoCommand.class.getPackage().getImplementationVersion();
    return new String[] {"vireo " + (version == null ? "dev" : version)};
  }
}
