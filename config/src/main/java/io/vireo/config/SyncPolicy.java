package io.vireo.config;

/** {@code spool.sync}: when a message counts as durable (see the queue module's Durability). */
public enum SyncPolicy {
  GROUP,
  ALWAYS,
  NONE
}
