package io.vireo.queue.chronicle;

import io.vireo.queue.BodyType;
import io.vireo.queue.Notify;
import io.vireo.queue.RecipientState;
import io.vireo.queue.Ret;
import io.vireo.queue.SpoolException;
import java.util.EnumSet;
import java.util.Set;

/**
 * The byte codes of the spool's binary record format. Codes are spelled out rather than taken from
 * enum ordinals so that reordering or extending a Java enum never changes what is on disk.
 */
final class RecordCodes {
  /** First byte of a messages-journal record holding an envelope (and, when small, the content). */
  static final byte MESSAGE = 'M';

  /** First byte of a messages-journal record holding one slice of a large message's content. */
  static final byte CHUNK = 'C';

  /** First byte of an events-journal record holding one {@code SpoolEvent}. */
  static final byte EVENT = 'E';

  /** Second byte of every record. A reader refuses versions newer than it knows. */
  static final byte VERSION_1 = 1;

  /**
   * Version 2 adds a CRC-32C over the record's own fields (everything but the content, which has
   * its own), so a flipped byte in an envelope or an event is detected instead of misread.
   */
  static final byte VERSION_2 = 2;

  /**
   * Version 3 is version 2 that may carry what the operator's queue commands added: the HELD,
   * RELEASED and DELETED event kinds and the HELD and DELETED recipient states in a snapshot. Only
   * records that carry them are written as version 3, so a spool without held or deleted mail
   * stays readable by a build that knows versions 1 and 2, and one with them is refused there by
   * version ("written by a newer Vireo?") rather than misread.
   */
  static final byte VERSION_3 = 3;

  /** The version every record without version-3 codes is written in. */
  static final byte CURRENT_VERSION = VERSION_2;

  /** The newest version this build reads. */
  static final byte NEWEST_VERSION = VERSION_3;

  static final byte CONTENT_INLINE = 0;
  static final byte CONTENT_CHUNKED = 1;

  static final byte EVENT_DELIVERED = 'D';
  static final byte EVENT_DEFERRED = 'T';
  static final byte EVENT_FAILED = 'F';
  static final byte EVENT_BOUNCED = 'B';
  static final byte EVENT_HELD = 'H';
  static final byte EVENT_RELEASED = 'R';
  static final byte EVENT_DELETED = 'X';

  private RecordCodes() {}

  static byte bodyType(BodyType type) {
    return switch (type) {
      case SEVEN_BIT -> 1;
      case EIGHT_BIT_MIME -> 2;
      case BINARY_MIME -> 3;
    };
  }

  static BodyType bodyType(byte code) {
    return switch (code) {
      case 1 -> BodyType.SEVEN_BIT;
      case 2 -> BodyType.EIGHT_BIT_MIME;
      case 3 -> BodyType.BINARY_MIME;
      default -> throw corrupt("body type", code);
    };
  }

  static byte ret(Ret ret) {
    return switch (ret) {
      case UNSPECIFIED -> 0;
      case HDRS -> 1;
      case FULL -> 2;
    };
  }

  static Ret ret(byte code) {
    return switch (code) {
      case 0 -> Ret.UNSPECIFIED;
      case 1 -> Ret.HDRS;
      case 2 -> Ret.FULL;
      default -> throw corrupt("RET", code);
    };
  }

  static byte notifications(Set<Notify> notifications) {
    int bits = 0;
    for (Notify notify : notifications) {
      bits |=
          switch (notify) {
            case NEVER -> 1;
            case SUCCESS -> 2;
            case FAILURE -> 4;
            case DELAY -> 8;
          };
    }
    return (byte) bits;
  }

  static Set<Notify> notifications(byte bits) {
    if ((bits & ~0x0F) != 0) {
      throw corrupt("NOTIFY bits", bits);
    }
    if (bits == 0) {
      return Set.of();
    }
    EnumSet<Notify> set = EnumSet.noneOf(Notify.class);
    if ((bits & 1) != 0) {
      set.add(Notify.NEVER);
    }
    if ((bits & 2) != 0) {
      set.add(Notify.SUCCESS);
    }
    if ((bits & 4) != 0) {
      set.add(Notify.FAILURE);
    }
    if ((bits & 8) != 0) {
      set.add(Notify.DELAY);
    }
    return set;
  }

  static byte state(RecipientState state) {
    return switch (state) {
      case PENDING -> 0;
      case DEFERRED -> 1;
      case FAILED -> 2;
      case DELIVERED -> 3;
      case BOUNCED -> 4;
      case HELD -> 5;
      case DELETED -> 6;
    };
  }

  /** The version a record holding {@code state} needs at least. */
  static byte versionFor(RecipientState state) {
    return state == RecipientState.HELD || state == RecipientState.DELETED ? VERSION_3 : CURRENT_VERSION;
  }

  /** A state read from a record of {@code version}: codes 5 and 6 exist from version 3 on. */
  static RecipientState state(byte code, byte version) {
    if (code > 4 && version < VERSION_3) {
      throw corrupt("recipient state (version " + version + ")", code);
    }
    return state(code);
  }

  static RecipientState state(byte code) {
    return switch (code) {
      case 0 -> RecipientState.PENDING;
      case 1 -> RecipientState.DEFERRED;
      case 2 -> RecipientState.FAILED;
      case 3 -> RecipientState.DELIVERED;
      case 4 -> RecipientState.BOUNCED;
      case 5 -> RecipientState.HELD;
      case 6 -> RecipientState.DELETED;
      default -> throw corrupt("recipient state", code);
    };
  }

  static SpoolException corrupt(String what, int code) {
    return new SpoolException("spool record has an unknown " + what + " code " + code);
  }
}
