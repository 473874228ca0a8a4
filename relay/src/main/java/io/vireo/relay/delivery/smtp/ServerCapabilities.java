package io.vireo.relay.delivery.smtp;

import io.vireo.relay.protocol.SmtpReply;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a server said it supports in its EHLO reply (RFC 5321 section 4.1.1.1), remembered for the
 * life of the connection (and re-read after STARTTLS, RFC 3207 section 4.2).
 *
 * @param extended true when the server answered EHLO; false after a HELO fallback (no extensions)
 * @param pipelining RFC 2920 PIPELINING
 * @param sizeOffered the SIZE keyword was present (RFC 1870), with or without a limit
 * @param sizeLimit the largest message the server takes, in octets; 0 when it declared none
 * @param eightBitMime RFC 6152 8BITMIME
 * @param smtpUtf8 RFC 6531 SMTPUTF8
 * @param enhancedStatusCodes RFC 2034 ENHANCEDSTATUSCODES
 * @param chunking RFC 3030 CHUNKING
 * @param dsn RFC 3461 DSN
 * @param startTls RFC 3207 STARTTLS
 * @param authMechanisms RFC 4954 AUTH mechanisms, upper-cased
 * @param keywords every extension line as sent (without the greeting line), for logs and anything
 *     not modelled above
 */
public record ServerCapabilities(
    boolean extended,
    boolean pipelining,
    boolean sizeOffered,
    long sizeLimit,
    boolean eightBitMime,
    boolean smtpUtf8,
    boolean enhancedStatusCodes,
    boolean chunking,
    boolean dsn,
    boolean startTls,
    Set<String> authMechanisms,
    List<String> keywords) {

  public ServerCapabilities {
    if (sizeLimit < 0) {
      throw new IllegalArgumentException("negative size limit: " + sizeLimit);
    }
    authMechanisms = Set.copyOf(authMechanisms);
    keywords = List.copyOf(keywords);
  }

  /** A server that only answered HELO: plain RFC 5321 with no service extensions. */
  public static ServerCapabilities heloOnly() {
    return new ServerCapabilities(
        false, false, false, 0, false, false, false, false, false, false, Set.of(), List.of());
  }

  /**
   * Parses a positive EHLO reply: its first line names the server, each further line one keyword.
   */
  public static ServerCapabilities fromEhlo(SmtpReply ehlo) {
    List<String> lines = ehlo.lines();
    List<String> keywords = lines.size() > 1 ? lines.subList(1, lines.size()) : List.of();
    boolean pipelining = false;
    boolean sizeOffered = false;
    long sizeLimit = 0;
    boolean eightBitMime = false;
    boolean smtpUtf8 = false;
    boolean enhanced = false;
    boolean chunking = false;
    boolean dsn = false;
    boolean startTls = false;
    Set<String> auth = new LinkedHashSet<>();
    for (String line : keywords) {
      String[] words = line.strip().split("[ \t]+");
      String keyword = words[0].toUpperCase(Locale.ROOT);
      switch (keyword) {
        case "PIPELINING" -> pipelining = true;
        case "SIZE" -> {
          sizeOffered = true;
          sizeLimit = words.length > 1 ? parseSize(words[1]) : 0;
        }
        case "8BITMIME" -> eightBitMime = true;
        case "SMTPUTF8" -> smtpUtf8 = true;
        case "ENHANCEDSTATUSCODES" -> enhanced = true;
        case "CHUNKING" -> chunking = true;
        case "DSN" -> dsn = true;
        case "STARTTLS" -> startTls = true;
        case "AUTH" -> addMechanisms(auth, words, 1);
        default -> {
          // Some old servers still send the pre-RFC 2554 form "AUTH=LOGIN PLAIN".
          if (keyword.startsWith("AUTH=")) {
            auth.add(keyword.substring(5));
            addMechanisms(auth, words, 1);
          }
        }
      }
    }
    return new ServerCapabilities(
        true,
        pipelining,
        sizeOffered,
        sizeLimit,
        eightBitMime,
        smtpUtf8,
        enhanced,
        chunking,
        dsn,
        startTls,
        auth,
        keywords);
  }

  /** True when some keyword line starts with {@code keyword} (case-insensitive). */
  public boolean offers(String keyword) {
    for (String line : keywords) {
      String first = line.strip().split("[ \t]+", 2)[0];
      if (first.equalsIgnoreCase(keyword)) {
        return true;
      }
    }
    return false;
  }

  private static void addMechanisms(Set<String> auth, String[] words, int from) {
    for (int i = from; i < words.length; i++) {
      if (!words[i].isEmpty()) {
        auth.add(words[i].toUpperCase(Locale.ROOT));
      }
    }
  }

  // A garbled limit is treated as "no limit declared": the server will still refuse at MAIL or
  // DATA.
  private static long parseSize(String text) {
    try {
      return Math.max(0, Long.parseLong(text));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
