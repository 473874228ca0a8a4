package io.vireo.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Finds the known key an operator most likely meant when they wrote an unknown one. */
final class KeySuggestions {
  private KeySuggestions() {}

  /**
   * The closest candidate, if close enough: same letters ignoring case, hyphens and underscores
   * ({@code maxMessageSize}, {@code max_message_size}), or a small edit distance (typos).
   */
  static Optional<String> closest(String unknown, Collection<String> candidates) {
    String wanted = squash(unknown);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance = distance(wanted, squash(candidate));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    int tolerated = Math.max(1, Math.min(3, wanted.length() / 4));
    return bestDistance <= tolerated ? Optional.ofNullable(best) : Optional.empty();
  }

  private static String squash(String key) {
    return key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
  }

  /**
   * Edit distance counting an insertion, deletion, substitution or swap of neighbours as one edit
   * (optimal string alignment), so {@code vai} is one typo away from {@code via}. Keys are short,
   * so the full table is fine.
   */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
