package io.vireo.relay.compose;

import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import jakarta.mail.util.StreamProvider;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.io.output.UnsynchronizedByteArrayOutputStream;

/**
 * Builds an RFC 5322 / MIME message from a {@link Draft} with Jakarta Mail (Angus): text and HTML
 * as multipart/alternative (RFC 2046 section 5.1.4, plainest first), inside multipart/mixed when
 * there are attachments; non-ASCII header text as RFC 2047 encoded words and non-ASCII file names
 * as RFC 2231 parameters; text bodies in UTF-8 with quoted-printable or base64 as Jakarta Mail
 * judges best, attachments in base64; a Message-ID and a Date. Used by the HTTP API and {@code
 * vireo send}, so both send the same message. Thread-safe.
 */
public final class MessageComposer {
  /** Written by the composer itself; a draft's extra headers may not replace them. */
  private static final Set<String> RESERVED =
      Set.of(
          "from", "to", "cc", "bcc", "reply-to", "subject", "date", "message-id", "mime-version",
          "content-type", "content-transfer-encoding", "content-disposition", "received",
          "return-path", "sender");

  /** RFC 5322 section 3.6.8 field name: printable US-ASCII but colon. */
  private static final Pattern FIELD_NAME = Pattern.compile("[!-9;-~]{1,76}");

  private final Session session;
  private final String domain;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /** @param domain the right-hand side of Message-IDs, this host's name */
  public MessageComposer(String domain, Clock clock) {
    this.domain = Objects.requireNonNull(domain, "domain");
    this.clock = Objects.requireNonNull(clock, "clock");
    Properties properties = new Properties();
    // RFC 2231 for non-ASCII attachment names; RFC 2047 words elsewhere (allowutf8 stays off, so
    // the result is 7-bit headers any hop accepts).
    properties.setProperty("mail.mime.encodeparameters", "true");
    this.session = Session.getInstance(properties);
    pinStreamProvider(session);
  }

  /**
   * Names the stream provider the session found in the {@code jakarta.mail.util.StreamProvider}
   * system property, unless one is named already. Jakarta Mail 2.1 looks the provider up again,
   * with a fresh {@code ServiceLoader} search of the class path, for every body part it writes and
   * every encoder it makes: about 17 times, 34 KB each, per typical message. With the class named,
   * its {@code FactoryFinder} loads it by name instead (48 bytes, ~2 µs):
   * {@code MessageComposerBenchmark} measured a composed message at 184 KB instead of 775 KB
   * allocated and about ten times faster. The same provider class either way, so nothing but the
   * cost changes; JVM-wide, as the lookup it replaces is.
   */
  static void pinStreamProvider(Session session) {
    String key = StreamProvider.class.getName();
    if (System.getProperty(key) == null) {
      System.setProperty(key, session.getStreamProvider().getClass().getName());
    }
  }

  /** Composes {@code draft}; throws {@link ComposeException} naming what is wrong with it. */
  public Composed compose(Draft draft) {
    if (draft.text().isEmpty() && draft.html().isEmpty() && draft.attachments().isEmpty()) {
      throw new ComposeException("a message needs text, html or an attachment");
    }
    InternetAddress from = mailbox("from", draft.from());
    List<InternetAddress> to = mailboxes("to", draft.to());
    List<InternetAddress> cc = mailboxes("cc", draft.cc());
    List<InternetAddress> bcc = mailboxes("bcc", draft.bcc());
    Set<String> recipients = new LinkedHashSet<>();
    for (List<InternetAddress> list : List.of(to, cc, bcc)) {
      list.forEach(address -> recipients.add(address.getAddress()));
    }
    if (recipients.isEmpty()) {
      throw new ComposeException("a message needs at least one recipient in to, cc or bcc");
    }
    String messageId = "<" + HexFormat.of().formatHex(randomBytes()) + "@" + domain + ">";
    try {
      MimeMessage message =
          new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
              setHeader("Message-ID", messageId);
            }
          };
      message.setFrom(from);
      if (!to.isEmpty()) {
        message.setRecipients(Message.RecipientType.TO, to.toArray(InternetAddress[]::new));
      }
      if (!cc.isEmpty()) {
        message.setRecipients(Message.RecipientType.CC, cc.toArray(InternetAddress[]::new));
      }
      if (draft.replyTo().isPresent()) {
        message.setReplyTo(new InternetAddress[] {mailbox("reply_to", draft.replyTo().get())});
      }
      message.setSubject(oneLine("subject", draft.subject()), "UTF-8");
      message.setSentDate(Date.from(clock.instant()));
      for (Map.Entry<String, String> header : draft.headers().entrySet()) {
        addHeader(message, header.getKey(), header.getValue());
      }
      body(message, draft);
      message.saveChanges();
      // Not the JDK's ByteArrayOutputStream: Angus's quoted-printable encoder writes one octet per
      // call, and that stream takes a lock and checks its capacity on each.
      UnsynchronizedByteArrayOutputStream out =
          UnsynchronizedByteArrayOutputStream.builder().setBufferSize(8192).get();
      message.writeTo(out);
      return new Composed(from.getAddress(), List.copyOf(recipients), out.toByteArray());
    } catch (MessagingException | IOException e) {
      throw new ComposeException("the message could not be composed: " + e.getMessage(), e);
    }
  }

  private static void body(MimeMessage message, Draft draft) throws MessagingException {
    boolean readable = draft.text().isPresent() || draft.html().isPresent();
    if (draft.attachments().isEmpty()) {
      readable(message, draft);
      return;
    }
    MimeMultipart mixed = new MimeMultipart("mixed");
    if (readable) {
      MimeBodyPart content = new MimeBodyPart();
      readable(content, draft);
      mixed.addBodyPart(content);
    }
    for (Draft.Attachment attachment : draft.attachments()) {
      mixed.addBodyPart(attachment(attachment));
    }
    message.setContent(mixed);
  }

  /** The text, the HTML, or both as multipart/alternative, into {@code part}. */
  private static void readable(MimePart part, Draft draft) throws MessagingException {
    if (draft.text().isPresent() && draft.html().isPresent()) {
      MimeMultipart alternative = new MimeMultipart("alternative");
      MimeBodyPart text = new MimeBodyPart();
      text(text, draft.text().get(), "plain");
      MimeBodyPart html = new MimeBodyPart();
      text(html, draft.html().get(), "html");
      alternative.addBodyPart(text);
      alternative.addBodyPart(html);
      part.setContent(alternative);
    } else if (draft.text().isPresent()) {
      text(part, draft.text().get(), "plain");
    } else if (draft.html().isPresent()) {
      text(part, draft.html().get(), "html");
    }
  }

  /**
   * {@code text} as the body of {@code part}, in UTF-8 with CRLF line ends, given to Jakarta Mail as
   * octets: from a String its text handler would encode the text twice (once to choose the transfer
   * encoding, once to write it) through a stream that passes one octet per call; from octets it
   * copies blocks. The transfer encoding is still Jakarta Mail's choice ({@code
   * MimeUtility.getEncoding}: 7bit for ASCII in lines of at most 998, else quoted-printable when
   * mostly ASCII, else base64).
   */
  private static void text(MimePart part, String text, String subtype) throws MessagingException {
    byte[] body = crlf(text.getBytes(StandardCharsets.UTF_8));
    part.setDataHandler(
        new DataHandler(new ByteArrayDataSource(body, "text/" + subtype + "; charset=UTF-8")));
  }

  private static MimeBodyPart attachment(Draft.Attachment attachment) throws MessagingException {
    String type = attachment.contentType().isBlank()
        ? "application/octet-stream"
        : oneLine("content_type", attachment.contentType());
    try {
      new jakarta.mail.internet.ContentType(type);
    } catch (jakarta.mail.internet.ParseException e) {
      throw new ComposeException("attachment " + attachment.filename() + ": bad content_type " + type);
    }
    MimeBodyPart part = new MimeBodyPart();
    part.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment.content(), type)));
    part.setDisposition(Part.ATTACHMENT);
    part.setFileName(oneLine("filename", attachment.filename()));
    part.setHeader("Content-Transfer-Encoding", "base64");
    return part;
  }

  private static void addHeader(MimeMessage message, String name, String value)
      throws MessagingException {
    if (!FIELD_NAME.matcher(name).matches()) {
      throw new ComposeException("not a header field name: " + name);
    }
    if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
      throw new ComposeException("header " + name + " is written by Vireo; use the JSON field");
    }
    try {
      String encoded = MimeUtility.encodeText(oneLine(name, value), "UTF-8", null);
      message.addHeader(name, MimeUtility.fold(name.length() + 2, encoded));
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException("UTF-8 is always supported", e);
    }
  }

  private static InternetAddress mailbox(String field, String text) {
    try {
      InternetAddress parsed = new InternetAddress(oneLine(field, text), true);
      if (parsed.isGroup() || parsed.getAddress() == null || parsed.getAddress().indexOf('@') < 1) {
        throw new ComposeException(field + ": not a mailbox: " + text);
      }
      // Re-made with its name as UTF-8, so a non-ASCII name is written as RFC 2047 words.
      return new InternetAddress(parsed.getAddress(), parsed.getPersonal(), "UTF-8");
    } catch (AddressException | UnsupportedEncodingException e) {
      throw new ComposeException(field + ": not a mailbox: " + text);
    }
  }

  private static List<InternetAddress> mailboxes(String field, List<String> texts) {
    List<InternetAddress> out = new ArrayList<>(texts.size());
    for (String text : texts) {
      out.add(mailbox(field, text));
    }
    return out;
  }

  /** Header text must not carry line breaks: they would start a header of the caller's choosing. */
  private static String oneLine(String field, String value) {
    if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
      throw new ComposeException(field + " must be one line");
    }
    return value;
  }

  /**
   * Bare CR or LF become CRLF (RFC 5322 section 2.3), so a body from any platform travels whole.
   * Done on the UTF-8 octets, where CR and LF never occur inside a multi-octet character.
   */
  static byte[] crlf(byte[] text) {
    int bare = 0;
    for (int i = 0; i < text.length; i++) {
      if (text[i] == '\r' ? i + 1 == text.length || text[i + 1] != '\n' : text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) {
        bare++;
      }
    }
    if (bare == 0) {
      return text;
    }
    byte[] out = new byte[text.length + bare];
    int o = 0;
    for (int i = 0; i < text.length; i++) {
      byte b = text[i];
      if (b == '\r' || b == '\n') { // an LF after a CR was skipped with its CR
        out[o++] = '\r';
        if (b == '\r' && i + 1 < text.length && text[i + 1] == '\n') {
          i++;
        }
        out[o++] = '\n';
      } else {
        out[o++] = b;
      }
    }
    return out;
  }

  private byte[] randomBytes() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return bytes;
  }
}
