package io.vireo.relay.delivery.schedule.limits;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Redis key names of one destination, all under {@code vireo:} and sharing a hash tag (so a Redis
 * Cluster would keep them on one shard, as the scripts need). A destination key (such as {@code
 * mx:mx1.example.com,mx2.example.com}) is used as written when short and plain, else replaced by
 * its SHA-256, so a key never exceeds about 100 bytes whatever the MX set.
 */
record LimitKeys(String rate, String leases, String waiters, String waitersSeen) {
  private static final int MAX_PLAIN = 64;

  static LimitKeys of(String destination) {
    String tag = "vireo:{" + tag(destination) + "}:";
    return new LimitKeys(tag + "rate", tag + "conns", tag + "waiting", tag + "waiting-seen");
  }

  private static String tag(String destination) {
    boolean plain =
        destination.length() <= MAX_PLAIN
            && destination.chars().allMatch(c -> c > ' ' && c < 0x7F && c != '{' && c != '}');
    if (plain) {
      return destination;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(destination.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
