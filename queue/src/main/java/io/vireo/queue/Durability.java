package io.vireo.queue;

/** When a stored message counts as safe, i.e. when {@link Spool#store} may return. */
public enum Durability {
  /** Concurrent appends share one sync of the journal files; each caller waits for the sync covering it. */
  GROUP,
  /** One sync per message. */
  ALWAYS,
  /** No sync at all: a crash loses recent messages. For benchmarks only, never for production. */
  NONE
}
