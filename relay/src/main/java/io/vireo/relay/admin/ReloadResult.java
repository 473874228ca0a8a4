package io.vireo.relay.admin;

import java.util.List;

/** What a configuration reload did: applied (with what changed and what waits for a restart), or refused. */
public sealed interface ReloadResult {
  /**
   * The new file is in force.
   *
   * @param file the file read
   * @param changed keys (sections or single keys) that differ and took effect
   * @param restartRequired keys that differ but keep their old value until a restart
   */
  record Applied(String file, List<String> changed, List<String> restartRequired)
      implements ReloadResult {
    public Applied {
      changed = List.copyOf(changed);
      restartRequired = List.copyOf(restartRequired);
    }
  }

  /**
   * The file was refused; the old configuration stays in force.
   *
   * @param message what is wrong, as {@code vireo config check} says it
   */
  record Refused(String message) implements ReloadResult {}
}
