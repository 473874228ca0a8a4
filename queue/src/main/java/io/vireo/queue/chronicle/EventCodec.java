package io.vireo.queue.chronicle;

import io.vireo.queue.MessageId;
import io.vireo.queue.SpoolEvent;
import java.time.Instant;
import net.openhft.chronicle.bytes.Bytes;

/**
 * Encodes and decodes the events journal's EVENT records (version 2): {@code 'E' 2 kind messageId
 * recipient at} followed by the kind's fields and a {@link RecordCrc} of the record (version 1 has
 * no checksum) (Delivered: relay reply; Deferred: nextAttempt reply;
 * Failed: reply; Bounced: bounceId). The operator's kinds Held, Released and Deleted have no
 * fields of their own and are written as version 3 (see {@link RecordCodes#VERSION_3}). The message id comes early so a scan for one message can skip
 * the rest of a record.
 */
final class EventCodec {
  private EventCodec() {}

  static void write(Bytes<?> out, SpoolEvent event) {
    long start = out.writePosition();
    byte kind =
        switch (event) {
          case SpoolEvent.Delivered _ -> RecordCodes.EVENT_DELIVERED;
          case SpoolEvent.Deferred _ -> RecordCodes.EVENT_DEFERRED;
          case SpoolEvent.Failed _ -> RecordCodes.EVENT_FAILED;
          case SpoolEvent.Bounced _ -> RecordCodes.EVENT_BOUNCED;
          case SpoolEvent.Held _ -> RecordCodes.EVENT_HELD;
          case SpoolEvent.Released _ -> RecordCodes.EVENT_RELEASED;
          case SpoolEvent.Deleted _ -> RecordCodes.EVENT_DELETED;
        };
    BinaryFields.writeHeader(
        out, RecordCodes.EVENT, isOperatorKind(kind) ? RecordCodes.VERSION_3 : RecordCodes.CURRENT_VERSION);
    out.writeByte(kind);
    BinaryFields.writeString(out, event.messageId().value());
    BinaryFields.writeString(out, event.recipient());
    BinaryFields.writeInstant(out, event.at());
    switch (event) {
      case SpoolEvent.Delivered d -> {
        BinaryFields.writeString(out, d.relay());
        BinaryFields.writeString(out, d.reply());
      }
      case SpoolEvent.Deferred d -> {
        BinaryFields.writeInstant(out, d.nextAttempt());
        BinaryFields.writeString(out, d.reply());
      }
      case SpoolEvent.Failed f -> BinaryFields.writeString(out, f.reply());
      case SpoolEvent.Bounced b ->
          BinaryFields.writeString(out, b.bounceId() == null ? null : b.bounceId().value());
      case SpoolEvent.Held _, SpoolEvent.Released _, SpoolEvent.Deleted _ -> {}
    }
    RecordCrc.write(out, start);
  }

  static SpoolEvent read(Bytes<?> in) {
    long start = in.readPosition();
    byte version = BinaryFields.readHeader(in, RecordCodes.EVENT);
    byte kind = in.readByte();
    String rawId = BinaryFields.readRequiredString(in, "message id");
    String recipient = BinaryFields.readRequiredString(in, "recipient");
    Instant at = BinaryFields.readInstant(in);
    if (isOperatorKind(kind) && version < RecordCodes.VERSION_3) {
      throw RecordCodes.corrupt("event kind (version " + version + ")", kind);
    }
    SpoolEvent event = readKind(in, kind, rawId, recipient, at);
    if (version >= RecordCodes.VERSION_2) {
      RecordCrc.verify(in, start, "the " + kind(kind) + " event of message " + rawId);
    }
    return event;
  }

  private static String kind(byte kind) {
    return switch (kind) {
      case RecordCodes.EVENT_DELIVERED -> "delivered";
      case RecordCodes.EVENT_DEFERRED -> "deferred";
      case RecordCodes.EVENT_FAILED -> "failed";
      case RecordCodes.EVENT_BOUNCED -> "bounced";
      case RecordCodes.EVENT_HELD -> "held";
      case RecordCodes.EVENT_RELEASED -> "released";
      case RecordCodes.EVENT_DELETED -> "deleted";
      default -> "unknown";
    };
  }

  private static SpoolEvent readKind(
      Bytes<?> in, byte kind, String rawId, String recipient, Instant at) {
    if (kind != RecordCodes.EVENT_DELIVERED
        && kind != RecordCodes.EVENT_DEFERRED
        && kind != RecordCodes.EVENT_FAILED
        && kind != RecordCodes.EVENT_BOUNCED
        && !isOperatorKind(kind)) {
      throw RecordCodes.corrupt("event kind", kind);
    }
    MessageId id = BinaryFields.messageId(rawId);
    return switch (kind) {
      case RecordCodes.EVENT_DELIVERED ->
          new SpoolEvent.Delivered(
              id, recipient, at, BinaryFields.readString(in), BinaryFields.readString(in));
      case RecordCodes.EVENT_DEFERRED ->
          new SpoolEvent.Deferred(
              id, recipient, at, BinaryFields.readInstant(in), BinaryFields.readString(in));
      case RecordCodes.EVENT_FAILED ->
          new SpoolEvent.Failed(id, recipient, at, BinaryFields.readString(in));
      case RecordCodes.EVENT_BOUNCED -> {
        String bounceId = BinaryFields.readString(in);
        yield new SpoolEvent.Bounced(
            id, recipient, at, bounceId == null ? null : new MessageId(bounceId));
      }
      case RecordCodes.EVENT_HELD -> new SpoolEvent.Held(id, recipient, at);
      case RecordCodes.EVENT_RELEASED -> new SpoolEvent.Released(id, recipient, at);
      case RecordCodes.EVENT_DELETED -> new SpoolEvent.Deleted(id, recipient, at);
      default -> throw RecordCodes.corrupt("event kind", kind);
    };
  }

  /** The kinds the operator's queue commands write, which need version 3. */
  private static boolean isOperatorKind(byte kind) {
    return kind == RecordCodes.EVENT_HELD
        || kind == RecordCodes.EVENT_RELEASED
        || kind == RecordCodes.EVENT_DELETED;
  }

  /** The message id of an EVENT record, read without decoding the rest; {@code in} is consumed. */
  static String peekMessageId(Bytes<?> in) {
    BinaryFields.readHeader(in, RecordCodes.EVENT);
    in.readByte();
    return BinaryFields.readRequiredString(in, "message id");
  }
}
