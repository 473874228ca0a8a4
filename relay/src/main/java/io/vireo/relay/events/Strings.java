package io.vireo.relay.events;

/** Text checks shared by the JSON-lines readers. */
public final class Strings {
  private Strings() {}

  /** False when {@code text} holds a lone surrogate, which has no UTF-8 form. */
  public static boolean wellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
