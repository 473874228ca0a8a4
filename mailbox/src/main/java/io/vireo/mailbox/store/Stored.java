package io.vireo.mailbox.store;

/**
 * A message the store has written durably: where it went and what it got.
 *
 * @param folder the folder's name (INBOX for the Maildir itself)
 * @param uidValidity the folder's UIDVALIDITY when the UID was assigned (IMAP's APPENDUID)
 * @param uid the message's UID
 * @param size the octets stored
 */
public record Stored(String folder, long uidValidity, long uid, long size) {}
