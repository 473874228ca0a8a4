package io.vireo.mailbox.pop3;

import io.vireo.mailbox.access.AccessChannel;
import io.vireo.mailbox.access.AccessSession;
import io.vireo.mailbox.access.Logins;
import io.vireo.mailbox.store.MailStore;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * POP3 (RFC 1939, with CAPA from RFC 2449, STLS from RFC 2595 and AUTH PLAIN from RFC 5034) over
 * the users' INBOX in the {@link MailStore}: the relay's listener hands each connection to {@link
 * #serve}, which runs one {@link Pop3Session} on the connection's thread.
 */
public final class Pop3Server implements AccessSession {
  private final Pop3Settings settings;
  private final MailStore store;
  private final Optional<Logins> logins;

  /**
   * @param logins the user store and throttle; empty when no users are configured (every login
   *     then fails with {@code -ERR [SYS/PERM]})
   */
  public Pop3Server(Pop3Settings settings, MailStore store, Optional<Logins> logins) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.store = Objects.requireNonNull(store, "store");
    this.logins = Objects.requireNonNull(logins, "logins");
  }

  @Override
  public void serve(AccessChannel channel) throws IOException, InterruptedException {
    new Pop3Session(settings, store, logins, channel).run();
  }
}
