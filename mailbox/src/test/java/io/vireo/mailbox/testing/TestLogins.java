package io.vireo.mailbox.testing;

import io.vireo.mailbox.access.Login;
import io.vireo.mailbox.access.Logins;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Logins against a fixed map of users and passwords: the relay's user store is not in this module. */
public record TestLogins(Map<String, String> passwords) implements Logins {
  @Override
  public Login check(String user, byte[] password, InetAddress client) {
    String expected = passwords.get(user);
    return expected != null && expected.equals(new String(password, StandardCharsets.UTF_8))
        ? new Login.Accepted(user)
        : new Login.Rejected();
  }
}
