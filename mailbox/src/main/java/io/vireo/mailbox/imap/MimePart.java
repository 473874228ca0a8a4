package io.vireo.mailbox.imap;

import java.util.List;
import java.util.Map;

/**
 * One entity of a message as mime4j parsed it: its header (raw octets, for BODY[n.MIME] and
 * HEADER.FIELDS), the Content-* values BODYSTRUCTURE reports, and either its body octets, its parts
 * (multipart) or the message inside it (message/rfc822).
 *
 * @param header the raw header, each field's raw octets and CRLF, then the empty line's CRLF
 * @param body the raw (still transfer-encoded) body; empty when not kept (structure only)
 * @param size the body's size in octets
 * @param lines the body's line count
 * @param parts the parts of a multipart, else empty
 * @param message the message inside a message/rfc822 part, else null
 */
record MimePart(
    byte[] header,
    String type,
    String subtype,
    Map<String, String> parameters,
    String id,
    String description,
    String encoding,
    String md5,
    String disposition,
    Map<String, String> dispositionParameters,
    List<String> language,
    String location,
    byte[] body,
    long size,
    long lines,
    List<MimePart> parts,
    MimePart message) {

  boolean multipart() {
    return type.equalsIgnoreCase("multipart");
  }

  boolean rfc822() {
    return message != null;
  }

  /**
   * The part a path names (RFC 9051 section 6.4.5): inside a multipart the n-th part; inside a
   * message/rfc822 part, the parts of the message it holds; part 1 of a non-multipart entity is its
   * own body. Null when there is no such part.
   */
  MimePart find(List<Integer> path) {
    MimePart at = this;
    for (int number : path) {
      MimePart container = at.rfc822() ? at.message() : at;
      if (container.multipart()) {
        if (number > container.parts().size()) {
          return null;
        }
        at = container.parts().get(number - 1);
      } else if (number == 1) {
        at = container;
      } else {
        return null;
      }
    }
    return at;
  }
}
