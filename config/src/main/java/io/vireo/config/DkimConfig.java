package io.vireo.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One entry of {@code dkim}: a DKIM (RFC 6376) signing key for mail whose From header is in {@code
 * domain} (or a subdomain of it). The algorithm follows from the key: RSA keys sign with {@code
 * rsa-sha256}, Ed25519 keys with {@code ed25519-sha256} (RFC 8463).
 *
 * @param domain the signing domain, {@code d=}
 * @param selector the selector, {@code s=}: the public key is at {@code
 *     <selector>._domainkey.<domain>}
 * @param keyFile the private key, PEM PKCS#8 ({@code BEGIN PRIVATE KEY}), unencrypted
 * @param headers the header fields to sign, in order; must include From, which is also signed once
 *     more than it occurs (oversigned) so that no From can be added later
 */
public record DkimConfig(String domain, String selector, Path keyFile, List<String> headers) {
  /** What is signed when {@code headers} is not given. */
  public static final List<String> DEFAULT_HEADERS =
      List.of(
          "From",
          "Reply-To",
          "Subject",
          "Date",
          "To",
          "Cc",
          "Message-ID",
          "In-Reply-To",
          "References",
          "MIME-Version",
          "Content-Type",
          "Content-Transfer-Encoding",
          "List-Unsubscribe",
          "List-Unsubscribe-Post");

  public DkimConfig {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(keyFile, "keyFile");
    headers = List.copyOf(headers);
    if (!DomainNames.isValid(domain)) {
      throw new IllegalArgumentException("dkim domain is not a valid domain name: " + domain);
    }
    domain = domain.toLowerCase(Locale.ROOT);
    if (!DomainNames.isValid(selector)) {
      throw new IllegalArgumentException("dkim selector is not a valid DNS name: " + selector);
    }
    for (String header : headers) {
      if (!isFieldName(header)) {
        throw new IllegalArgumentException("not a header field name: \"" + header + "\"");
      }
    }
    if (headers.stream().noneMatch("from"::equalsIgnoreCase)) {
      throw new IllegalArgumentException(
          "the signed headers must include From (RFC 6376 section 5.4)");
    }
  }

  /** RFC 5322 section 3.6.8: printable US-ASCII except colon. */
  static boolean isFieldName(String name) {
    return !name.isEmpty() && name.chars().allMatch(c -> c > ' ' && c < 0x7f && c != ':');
  }
}
