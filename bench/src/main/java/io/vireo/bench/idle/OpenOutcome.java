package io.vireo.bench.idle;

/** The result of opening one idle SMTP session: open after EHLO, or failed with a cause. */
public sealed interface OpenOutcome {
  /** The session greeted, answered EHLO with 250 and is now held idle. */
  record Opened(IdleConnection connection) implements OpenOutcome {}

  /**
   * The session could not be opened. {@code cause} is {@code connect}, {@code timeout}, {@code io},
   * {@code protocol}, or the refusing reply code ({@code 421}, {@code 554}...) to the greeting or to
   * EHLO.
   */
  record Failed(String cause, String detail) implements OpenOutcome {}
}
