package io.vireo.relay.admin;

import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import java.util.Locale;

/**
 * The operator's changes to queued recipients ({@code POST /v1/queue/<name>}), each with the
 * recipients it can act on: a recipient it cannot change is not counted.
 */
public enum QueueChange {
  /** Attempt now. A held recipient stays held (as Postfix's flush leaves its hold queue alone). */
  FLUSH,
  /** Fail for good, with a report to the sender. */
  BOUNCE,
  /** Attempt no more until released; a failed recipient already owes its bounce. */
  HOLD,
  /** Make a held recipient due now. */
  RELEASE,
  /** Remove without a report to the sender. */
  DELETE;

  /** The name in the API path and the CLI: {@code flush}, {@code bounce}, ... */
  public String path() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this change acts on {@code status} (never on a final one). */
  public boolean appliesTo(RecipientStatus status) {
    RecipientState state = status.state();
    if (state.isFinal()) {
      return false;
    }
    return switch (this) {
      case FLUSH -> state != RecipientState.FAILED && state != RecipientState.HELD;
      case BOUNCE, DELETE -> true;
      case HOLD -> state != RecipientState.FAILED && state != RecipientState.HELD;
      case RELEASE -> state == RecipientState.HELD;
    };
  }

  /** The change a path names, or null. */
  static QueueChange ofPath(String name) {
    for (QueueChange change : values()) {
      if (change.path().equals(name)) {
        return change;
      }
    }
    return null;
  }
}
