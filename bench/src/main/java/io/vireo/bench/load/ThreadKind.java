package io.vireo.bench.load;

/**
 * Which threads run the client connections. Virtual threads are the default and scale to thousands of
 * connections; platform threads skip the virtual-thread scheduler and poller, which on a small machine
 * lifts the tool's own ceiling for tens of connections (see bench/LOAD.md).
 */
public enum ThreadKind {
  VIRTUAL,
  PLATFORM;

  Thread start(String name, Runnable task) {
    return switch (this) {
      case VIRTUAL -> Thread.ofVirtual().name(name).start(task);
      case PLATFORM -> Thread.ofPlatform().name(name).daemon(true).start(task);
    };
  }
}
