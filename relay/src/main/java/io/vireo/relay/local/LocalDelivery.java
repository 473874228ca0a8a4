package io.vireo.relay.local;

import io.vireo.config.LocalConfig;
import io.vireo.mailbox.store.FolderNames;
import io.vireo.mailbox.store.MailStore;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.Recipient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Local delivery: the users an address names, their quota, and the message written into their
 * Maildir INBOX through the mailbox module's {@link MailStore} (write to {@code tmp/}, fsync,
 * rename into {@code new/}, fsync of the directory, then the UID). Thread-safe; {@link #reconfigure} swaps the addresses and
 * quota for the lookups that follow.
 *
 * <p>What goes into a mailbox is the spooled message (Vireo's {@code Received:} on top, as a next
 * hop would get it) with two lines prepended: {@code Return-Path:} with the envelope sender (RFC
 * 5321 section 4.4: added at final delivery) and {@code X-Original-To:} with the envelope
 * recipient as the client gave it, so one copy per recipient, even when several recipients name
 * one user.
 *
 * <p>The quota is soft and checked before writing: a message that would take a mailbox past
 * {@code local.quota} is not written ({@link MailboxResult.OverQuota}, a transient outcome); two
 * deliveries running at once may both fit and together pass it. For an alias every user's room is
 * checked before the first copy is written, so a full mailbox defers the recipient without copies
 * already made; a store failure half-way still leaves the users before it with a copy, and the
 * retry gives them a second.
 */
public final class LocalDelivery {
  private static final String INBOX = FolderNames.INBOX;

  private final MailStore store; // null: none configured
  private volatile LocalAddresses addresses;

  /**
   * @param users the user names of {@code auth.users-file} now
   * @param store the process's one store, shared with the POP3 and IMAP sessions
   */
  public LocalDelivery(
      LocalConfig config, Supplier<? extends Collection<String>> users, MailStore store) {
    this.addresses = new LocalAddresses(config, users);
    this.store = Objects.requireNonNull(store, "store");
  }

  private LocalDelivery() {
    this.addresses = new LocalAddresses(LocalConfig.NONE, List::of);
    this.store = null;
  }

  /** No local domains and no store: every domain is relayed, a capture route fails. */
  public static LocalDelivery none() {
    return new LocalDelivery();
  }

  /** Applies a reloaded {@code local} section to the lookups and deliveries from now on. */
  public void reconfigure(LocalConfig config) {
    LocalAddresses current = addresses;
    addresses = new LocalAddresses(config, current::users);
  }

  /**
   * As {@link #reconfigure(LocalConfig)}, with the user names of a reloaded {@code auth} section
   * (another users file).
   */
  public void reconfigure(LocalConfig config, Supplier<? extends Collection<String>> users) {
    addresses = new LocalAddresses(config, users);
  }

  public boolean isLocal(String domain) {
    return addresses.isLocal(domain);
  }

  /** The RCPT verdict for {@code localPart@domain}. */
  public RecipientCheck check(String localPart, String domain) throws IOException {
    LocalAddresses now = addresses;
    if (!now.isLocal(domain)) {
      return new RecipientCheck.NotLocal();
    }
    List<String> users = now.usersOf(localPart, domain);
    if (users.isEmpty()) {
      return new RecipientCheck.Unknown();
    }
    LocalConfig config = now.config();
    if (config.hasQuota() && store != null) {
      for (String user : users) {
        if (store.usedBytes(user) >= config.quota()) {
          return new RecipientCheck.OverQuota(user);
        }
      }
    }
    return new RecipientCheck.Accept();
  }

  /** Delivers {@code recipient} of a local domain into the mailboxes it names. */
  public MailboxResult deliverLocal(
      Envelope envelope, Recipient recipient, MessageContent content) {
    String address = recipient.address();
    int at = address.lastIndexOf('@');
    LocalAddresses now = addresses;
    List<String> users =
        at < 0 ? List.of() : now.usersOf(address.substring(0, at), address.substring(at + 1));
    if (users.isEmpty()) {
      return new MailboxResult.NoSuchUser();
    }
    return deliver(users, now.config(), envelope, recipient, content);
  }

  /** Delivers {@code recipient} into {@code user}'s mailbox (a capture route). */
  public MailboxResult capture(
      String user, Envelope envelope, Recipient recipient, MessageContent content) {
    return deliver(List.of(user), addresses.config(), envelope, recipient, content);
  }

  private MailboxResult deliver(
      List<String> users,
      LocalConfig config,
      Envelope envelope,
      Recipient recipient,
      MessageContent content) {
    if (store == null) {
      return new MailboxResult.Failed(users.getFirst(), "no mailbox store is configured");
    }
    byte[] header = envelopeHeader(envelope, recipient);
    long size = header.length + content.size();
    if (config.hasQuota()) {
      for (String user : users) {
        try {
          long usage = store.usedBytes(user);
          if (usage + size > config.quota()) {
            return new MailboxResult.OverQuota(user, usage, config.quota());
          }
        } catch (IOException e) {
          return new MailboxResult.Failed(user, describe(e));
        }
      }
    }
    List<String> stored = new ArrayList<>(users.size());
    for (String user : users) {
      try (InputStream message =
          new SequenceInputStream(new ByteArrayInputStream(header), content.openStream())) {
        // INTERNALDATE is the arrival: when Vireo took the message, however long it waited since.
        store.deliver(user, INBOX, message, Set.of(), envelope.arrival());
        stored.add(user);
      } catch (IOException | RuntimeException e) {
        return new MailboxResult.Failed(user, describe(e));
      }
    }
    return new MailboxResult.Stored(stored);
  }

  /**
   * {@code Return-Path: <sender>} and {@code X-Original-To: recipient}, CRLF-ended like the
   * spooled content. Neither address can hold CR or LF: the SMTP parser refused those.
   */
  static byte[] envelopeHeader(Envelope envelope, Recipient recipient) {
    String text =
        "Return-Path: <" + envelope.sender() + ">\r\n"
            + "X-Original-To: " + recipient.address() + "\r\n";
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String describe(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
