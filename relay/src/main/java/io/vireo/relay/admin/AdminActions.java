package io.vireo.relay.admin;

/** What the admin API may ask the running relay to do, beyond reading its stats. */
public interface AdminActions {
  /** Re-reads the configuration file and applies it, or refuses it and keeps the old one. */
  ReloadResult reload();

  /** Actions for an admin server that offers none: a reload is refused. */
  AdminActions NONE = () -> new ReloadResult.Refused("this admin server cannot reload");
}
