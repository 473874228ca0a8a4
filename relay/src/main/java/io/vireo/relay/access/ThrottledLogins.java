package io.vireo.relay.access;

import io.vireo.mailbox.access.Login;
import io.vireo.mailbox.access.Logins;
import io.vireo.relay.auth.LoginThrottle;
import io.vireo.relay.server.ServerAuth;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POP3 and IMAP logins against the same user store and the same failed-login throttle as SMTP AUTH
 * ({@code auth.*}): the client address is judged first, then the user, and only then is the
 * password hashed, so a throttled address cannot learn whether a password was right. A failure
 * counts against both keys, exactly as an SMTP AUTH failure does, so guessing cannot move from one
 * protocol to another to get more tries. The store and throttle are asked for at each login, so a
 * reload that replaces them ({@code auth.users-file}, the throttle settings) is in force at the
 * next one; with no users file in force every login is rejected.
 */
public final class ThrottledLogins implements Logins {
  private static final Logger log = LoggerFactory.getLogger(ThrottledLogins.class);

  private final Supplier<Optional<ServerAuth>> inForce;

  /** @param inForce the user store and throttle in force now; empty when no users file is */
  public ThrottledLogins(Supplier<Optional<ServerAuth>> inForce) {
    this.inForce = Objects.requireNonNull(inForce, "inForce");
  }

  @Override
  public Login check(String user, byte[] password, InetAddress client) throws InterruptedException {
    // Read once: the whole login uses one store and one throttle even if a reload lands meanwhile.
    Optional<ServerAuth> current = inForce.get();
    if (current.isEmpty()) {
      log.info("login rejected, no users file: user={} client=[{}]", user, client.getHostAddress());
      return new Login.Rejected();
    }
    ServerAuth auth = current.get();
    LoginThrottle throttle = auth.throttle();
    String addressKey = LoginThrottle.addressKey(client);
    String userKey = LoginThrottle.userKey(user);
    Login held = verdict(throttle.check(addressKey));
    if (held == null) {
      held = verdict(throttle.check(userKey));
    }
    if (held != null) {
      log.info("login {} for user={} client=[{}]", held, user, client.getHostAddress());
      return held;
    }
    if (auth.users().verify(user, password)) {
      throttle.succeeded(userKey);
      return new Login.Accepted(user);
    }
    throttle.failed(addressKey);
    throttle.failed(userKey);
    // One line per failure with address and user, for fail2ban and the like (as SMTP AUTH logs).
    log.info("authentication failed: user={} client=[{}]", user, client.getHostAddress());
    return new Login.Rejected();
  }

  private static Login verdict(LoginThrottle.Verdict verdict) {
    return switch (verdict) {
      case LoginThrottle.Verdict.Allowed allowed -> null;
      case LoginThrottle.Verdict.Throttled throttled -> new Login.Throttled();
      case LoginThrottle.Verdict.LockedOut lockedOut -> new Login.LockedOut();
    };
  }
}
