package io.vireo.relay.intake;

import io.vireo.queue.Envelope;

/** What became of a submitted message; a closed set each submitter maps to its own answer. */
public sealed interface Stored {
  /**
   * On disk: the submitter may acknowledge it (SMTP 250, HTTP 202) with the envelope's id. {@code
   * messageIdHeader} is the message's Message-ID field, for the log, or null.
   */
  record Durable(Envelope envelope, long size, String messageIdHeader) implements Stored {}

  /** Not stored; {@code reason} says why and {@code detail} says it in words for a log or a client. */
  record Refused(Refusal reason, String detail) implements Stored {}

  /** Why a message was refused. */
  enum Refusal {
    /** The spool could not store it (I/O failure): try again later. */
    STORAGE_FAILED,
    /** The spool's disk guard refuses new mail until space is freed: try again later. */
    STORAGE_FULL,
    /** Larger than {@code limits.max-message-size}. */
    TOO_LARGE,
    /** A NUL octet under {@code limits.nul: reject} (RFC 5321 section 4.5.2). */
    NUL_OCTET
  }
}
