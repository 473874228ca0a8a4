package io.vireo.mailbox.pop3;

import io.vireo.mailbox.access.AccessChannel;
import io.vireo.mailbox.access.AccessSession;
import io.vireo.mailbox.access.Logins;
import io.vireo.mailbox.store.MailStore;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * POP3 (RFC 1939, with CAPA from RFC 2449, STLS from RFC 2595 and AUTH PLAIN from RFC 5034) over
 * the users' INBOX in the {@link MailStore}: the relay's listener hands each connection to {@link
 * #serve}, which runs one {@link Pop3Session} on the connection's thread.
 */
public final class Pop3Server implements AccessSession {
  private final Supplier<Pop3Settings> settings;
  private final MailStore store;
  private final Logins logins;

  /**
   * @param settings asked once per connection, which keeps them to its end: a change (the relay's
   *     reload) reaches the next connection
   * @param logins the user store and throttle (with no users configured, every login fails)
   */
  public Pop3Server(Supplier<Pop3Settings> settings, MailStore store, Logins logins) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.store = Objects.requireNonNull(store, "store");
    this.logins = Objects.requireNonNull(logins, "logins");
  }

  @Override
  public void serve(AccessChannel channel) throws IOException, InterruptedException {
    Pop3Settings current = Objects.requireNonNull(settings.get(), "settings");
    new Pop3Session(current, store, logins, channel).run();
  }
}
