package io.vireo.queue;

/** The MAIL FROM BODY= parameter (RFC 6152, RFC 3030): what the content may contain. */
public enum BodyType {
  SEVEN_BIT,
  EIGHT_BIT_MIME,
  BINARY_MIME
}
