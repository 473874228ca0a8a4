package io.vireo.relay.dkim;

import io.vireo.config.DkimConfig;
import io.vireo.queue.MessageContent;
import io.vireo.relay.delivery.outcome.dsn.DowngradeResult;
import io.vireo.relay.delivery.outcome.dsn.EightBitDowngrader;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs accepted messages with DKIM (RFC 6376): the key is chosen by the domain of the From header
 * (the configured domain that equals it or is its nearest parent), canonicalisation is
 * relaxed/relaxed, the configured header fields are signed with From once more than it occurs
 * (oversigned, so no second From can be added unnoticed), and {@code t=} comes from the clock.
 *
 * <p>Signed once, at acceptance, before the message is stored: every delivery attempt and every
 * recipient then carries the same signature, and the key is needed in one place only. A signed
 * body must not change on the way, yet a next hop without 8BITMIME forces 8-bit content into
 * quoted-printable (RFC 6152 section 3). So a message with 8-bit octets is converted to 7-bit MIME
 * here, before it is signed, with the same {@link EightBitDowngrader} delivery uses; delivery then
 * finds nothing left to convert and sends the signed octets unchanged. A message that cannot be
 * converted (8-bit header fields) is signed as it is: no server without 8BITMIME can take it
 * anyway.
 *
 * <p>A message without exactly one From, or whose From has no domain with a key, is stored
 * unsigned. Thread-safe.
 */
public final class DkimSigner {
  private static final Logger log = LoggerFactory.getLogger(DkimSigner.class);
  private static final int B_LINE = 72;

  private final List<DkimKey> keys;
  private final Clock clock;
  private final EightBitDowngrader downgrader = new EightBitDowngrader();

  public DkimSigner(List<DkimKey> keys, Clock clock) {
    this.keys = List.copyOf(keys);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Reads the keys of {@code dkim}.
   *
   * @throws IOException naming {@code dkim[i].key-file} when a key cannot be used
   */
  public static DkimSigner load(List<DkimConfig> dkim, Clock clock) throws IOException {
    List<DkimKey> keys = new ArrayList<>();
    for (int i = 0; i < dkim.size(); i++) {
      keys.add(DkimKey.load(dkim.get(i), i));
    }
    return new DkimSigner(keys, clock);
  }

  /** Whether any key is configured; without one {@link #sign} returns its input. */
  public boolean isEnabled() {
    return !keys.isEmpty();
  }

  /**
   * The message to store: with a DKIM-Signature header in front when a key applies (and 8-bit
   * content converted to 7-bit first), else {@code content} itself.
   */
  public MessageContent sign(MessageContent content) {
    if (keys.isEmpty()) {
      return content;
    }
    Optional<DkimKey> key = keyFor(HeaderFields.parse(split(content, null)));
    if (key.isEmpty()) {
      return content;
    }
    MessageContent message = content;
    if (EightBitDowngrader.is8Bit(content)
        && downgrader.downgrade(content) instanceof DowngradeResult.Converted converted) {
      message = converted.content();
    }
    RelaxedBody body = new RelaxedBody();
    HeaderFields headers = HeaderFields.parse(split(message, body));
    try {
      byte[] signature = signatureHeader(key.get(), headers, body.finish());
      MessageContent.Builder signed = new MessageContent.Builder().write(signature);
      message.writeTo(
          new OutputStream() {
            @Override
            public void write(int b) {
              signed.write(new byte[] {(byte) b});
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
              signed.write(bytes, offset, length);
            }
          });
      return signed.build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("DKIM signing with " + key.get().algorithm() + " failed", e);
    } catch (IOException e) {
      throw new UncheckedIOException("copying in-memory message content", e);
    }
  }

  /** The key for the From domain: the longest configured domain equal to it or a parent. */
  private Optional<DkimKey> keyFor(HeaderFields headers) {
    List<HeaderFields.Field> from = headers.named("From");
    if (from.size() != 1) {
      log.debug("not signing: {} From header fields", from.size());
      return Optional.empty();
    }
    String domain;
    try {
      InternetAddress[] addresses =
          InternetAddress.parseHeader(from.getFirst().value().replace("\r\n", ""), false);
      String address = addresses.length == 0 ? "" : addresses[0].getAddress();
      int at = address == null ? -1 : address.lastIndexOf('@');
      if (at < 0) {
        return Optional.empty();
      }
      domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
    } catch (AddressException e) {
      log.debug("not signing: unreadable From: {}", e.getMessage());
      return Optional.empty();
    }
    DkimKey best = null;
    for (DkimKey key : keys) {
      boolean matches = domain.equals(key.domain()) || domain.endsWith("." + key.domain());
      if (matches && (best == null || key.domain().length() > best.domain().length())) {
        best = key;
      }
    }
    return Optional.ofNullable(best);
  }

  private byte[] signatureHeader(DkimKey key, HeaderFields headers, byte[] bodyHash)
      throws GeneralSecurityException {
    List<String> signed = new ArrayList<>();
    StringBuilder data = new StringBuilder();
    Map<String, Integer> usedFromBottom = new HashMap<>();
    for (String name : key.headers()) {
      List<HeaderFields.Field> present = headers.named(name);
      // From once more than it occurs: the extra, empty instance seals the list (RFC 6376 8.15).
      int times = present.size() + (name.equalsIgnoreCase("From") ? 1 : 0);
      for (int i = 0; i < times; i++) {
        signed.add(name.toLowerCase(Locale.ROOT));
        // RFC 6376 section 5.4.2: repeated names take the instances from the bottom up.
        int used = usedFromBottom.merge(name.toLowerCase(Locale.ROOT), 1, Integer::sum);
        if (used <= present.size()) {
          HeaderFields.Field field = present.get(present.size() - used);
          data.append(HeaderFields.relaxed(field.name(), field.value())).append("\r\n");
        }
      }
    }
    String unsigned =
        " v=1; a="
            + key.algorithm().tag()
            + "; c=relaxed/relaxed; d="
            + key.domain()
            + "; s="
            + key.selector()
            + ";\r\n\tt="
            + clock.instant().getEpochSecond()
            + "; h="
            + String.join(":", signed)
            + ";\r\n\tbh="
            + Base64.getEncoder().encodeToString(bodyHash)
            + ";\r\n\tb=";
    // The signature covers its own header with an empty b= (section 3.7), last and without CRLF.
    data.append(HeaderFields.relaxed("DKIM-Signature", unsigned));
    byte[] b =
        key.algorithm().sign(key.key(), data.toString().getBytes(StandardCharsets.ISO_8859_1));
    return ("DKIM-Signature:" + unsigned + fold(Base64.getEncoder().encodeToString(b)) + "\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Folds the b= value over lines; whitespace inside it is ignored (section 3.5). */
  private static String fold(String base64) {
    StringBuilder out = new StringBuilder(base64.length() + base64.length() / B_LINE * 4);
    for (int i = 0; i < base64.length(); i += B_LINE) {
      if (i > 0) {
        out.append("\r\n\t ");
      }
      out.append(base64, i, Math.min(base64.length(), i + B_LINE));
    }
    return out.toString();
  }

  /**
   * Returns the header section (each field with its CRLF, without the empty line) and feeds the
   * body after the empty line to {@code body}, if given.
   */
  private static byte[] split(MessageContent content, RelaxedBody body) {
    ByteArrayOutputStream header = new ByteArrayOutputStream(2048);
    try (InputStream in = content.openStream()) {
      int last4 = 0;
      int b;
      while ((b = in.read()) >= 0) {
        header.write(b);
        last4 = (last4 << 8) | (b & 0xff);
        if (last4 == 0x0d0a0d0a) {
          break;
        }
      }
      byte[] section = header.toByteArray();
      if (last4 == 0x0d0a0d0a) {
        section = Arrays.copyOf(section, section.length - 2);
        if (body != null) {
          byte[] buffer = new byte[64 * 1024];
          int n;
          while ((n = in.read(buffer)) > 0) {
            body.update(buffer, 0, n);
          }
        }
      }
      return section;
    } catch (IOException e) {
      throw new UncheckedIOException("reading in-memory message content", e);
    }
  }
}
