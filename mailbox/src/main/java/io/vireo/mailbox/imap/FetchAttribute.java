package io.vireo.mailbox.imap;

/** One data item of FETCH (RFC 9051 section 6.4.5); macros ALL, FAST and FULL are expanded. */
public sealed interface FetchAttribute {
  record Flags() implements FetchAttribute {}

  record Uid() implements FetchAttribute {}

  record InternalDate() implements FetchAttribute {}

  record Rfc822Size() implements FetchAttribute {}

  record Envelope() implements FetchAttribute {}

  /** CONDSTORE's MODSEQ (RFC 7162 section 3.1.4). */
  record ModSeq() implements FetchAttribute {}

  /** BODYSTRUCTURE, or the non-extensible BODY when {@code extensible} is false. */
  record BodyStructure(boolean extensible) implements FetchAttribute {}

  /**
   * {@code BODY[section]<offset.count>} or BODY.PEEK; RFC822, RFC822.HEADER and RFC822.TEXT are
   * these with {@code legacyName} set, which is what the response calls them.
   *
   * @param offset start of the partial, or -1 for none
   * @param count octets of the partial
   */
  record Body(Section section, boolean peek, long offset, long count, String legacyName)
      implements FetchAttribute {}
}
