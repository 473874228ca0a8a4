package io.vireo.bench.mail;

/**
 * What one IMAP command brought back, counted rather than kept.
 *
 * @param status the tagged status: OK, NO or BAD
 * @param text the rest of the tagged line
 * @param fetches untagged FETCH responses ({@code * n FETCH ...})
 * @param searchHits message numbers in untagged SEARCH responses
 * @param exists the last {@code * n EXISTS}, or -1
 * @param literalOctets octets that came as literals (message bodies, odd strings)
 * @param octets every octet of the response, line ends included
 */
record ImapResponse(
    String status, String text, int fetches, int searchHits, long exists, long literalOctets, long octets) {

  boolean ok() {
    return status.equals("OK");
  }
}
