package io.vireo.bench.mail;

import java.lang.management.ManagementFactory;

/**
 * CPU time of this client process (all its threads, JIT and GC included), so every report can show
 * that the client's own work is small beside the server's and does not set the pace.
 */
final class ClientCpu {
  private ClientCpu() {}

  static long nanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
