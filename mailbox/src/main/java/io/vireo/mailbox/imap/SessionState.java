package io.vireo.mailbox.imap;

import io.vireo.mailbox.access.AccessChannel;
import io.vireo.mailbox.store.MailStore;

/** What one IMAP connection knows, shared by its command handlers. */
final class SessionState {
  final AccessChannel channel;
  final MailStore store;
  final ImapSettings settings;
  final ResponseWriter out;
  final ImapInput in;
  /** The process's cache of headers, envelopes and structures, shared by every session. */
  final FetchCache fetchCache;
  String user;
  SelectedMailbox selected;
  /** ENABLE IMAP4rev2 (RFC 9051 section 6.3.1): SEARCH answers with ESEARCH, no RECENT. */
  boolean rev2;
  /**
   * CONDSTORE is on (RFC 7162 section 3.1): ENABLE CONDSTORE or a command that uses it was seen;
   * from then on every FETCH response with FLAGS carries MODSEQ.
   */
  boolean condstore;

  SessionState(AccessChannel channel, MailStore store, ImapSettings settings, FetchCache fetchCache) {
    this.channel = channel;
    this.fetchCache = fetchCache;
    this.store = store;
    this.settings = settings;
    this.out = new ResponseWriter(channel.output());
    this.in = new ImapInput(channel.input(), settings.maxLine(), settings.maxLiteral());
  }

  boolean authenticated() {
    return user != null;
  }

  /** Leaves the selected state (CLOSE, UNSELECT, a new SELECT). */
  void deselect() {
    if (selected != null) {
      selected.close();
      selected = null;
    }
  }

  /** LOGIN and AUTHENTICATE are refused: TLS is required first and could be started. */
  boolean loginDisabled() {
    return settings.requireTls() && !channel.secure() && channel.tlsAvailable();
  }

  String capabilities() {
    StringBuilder caps = new StringBuilder("CAPABILITY IMAP4rev1 IMAP4rev2");
    if (!authenticated()) {
      if (!channel.secure() && channel.tlsAvailable()) {
        caps.append(" STARTTLS");
      }
      caps.append(loginDisabled() ? " LOGINDISABLED" : " AUTH=PLAIN");
    }
    caps.append(" SASL-IR LITERAL+ ENABLE IDLE UIDPLUS MOVE UNSELECT NAMESPACE ID CHILDREN ESEARCH");
    caps.append(" LIST-EXTENDED STATUS=SIZE SPECIAL-USE CREATE-SPECIAL-USE CONDSTORE");
    return caps.toString();
  }
}
