package io.vireo.relay.server;

import io.vireo.relay.auth.LoginThrottle;
import io.vireo.relay.auth.UserStore;
import java.util.Objects;

/**
 * SMTP AUTH (RFC 4954) for the listener: whom to check passwords against, how failures are slowed
 * down, and whether AUTH waits for TLS.
 *
 * @param requireTls offer and accept AUTH only inside TLS (538 5.7.11 before it)
 */
public record ServerAuth(UserStore users, LoginThrottle throttle, boolean requireTls) {
  public ServerAuth {
    Objects.requireNonNull(users, "users");
    Objects.requireNonNull(throttle, "throttle");
  }

  /**
   * Whether {@code user} may give {@code sender} ({@code local@domain}, empty for {@code <>}) in
   * MAIL FROM: any sender unless the users file lists the user's allowed senders.
   */
  public boolean permitsSender(String user, String sender) {
    return users.allowedSenders(user).map(allowed -> allowed.permits(sender)).orElse(true);
  }
}
