package io.vireo.config;

import java.util.Locale;

/**
 * Where the Redis server that a fleet of Vireo nodes shares lives, written {@code
 * redis://host[:port][/database]} (port 6379 and database 0 when left out). Credentials and TLS
 * ({@code rediss://}) are not supported: the Redis server is expected on a private network.
 *
 * @param host a host name or IP literal (IPv6 without brackets)
 * @param port 1..65535
 * @param database the logical database number, 0..15 on a default Redis
 */
public record RedisEndpoint(String host, int port, int database) {
  public static final int DEFAULT_PORT = 6379;
  private static final String SCHEME = "redis://";

  public RedisEndpoint {
    // HostPort checks the host and the port's range.
    HostPort checked = new HostPort(host, port);
    if (port == 0) {
      throw new IllegalArgumentException("port must be 1..65535");
    }
    if (database < 0) {
      throw new IllegalArgumentException("database must not be negative: " + database);
    }
    host = checked.host();
  }

  /**
   * Parses {@code redis://host[:port][/database]}.
   *
   * @throws IllegalArgumentException with a short reason when the text is not of that form
   */
  public static RedisEndpoint parse(String text) {
    String s = text.strip();
    if (!s.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
      throw new IllegalArgumentException(
          s.toLowerCase(Locale.ROOT).startsWith("rediss://")
              ? "TLS to Redis (rediss://) is not supported"
              : "must start with redis://");
    }
    String rest = s.substring(SCHEME.length());
    if (rest.indexOf('@') >= 0) {
      throw new IllegalArgumentException("credentials in the address are not supported");
    }
    int database = 0;
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      String db = rest.substring(slash + 1);
      rest = rest.substring(0, slash);
      if (!db.isEmpty()) {
        if (!db.matches("\\d{1,5}")) {
          throw new IllegalArgumentException("database is not a number: \"" + db + "\"");
        }
        database = Integer.parseInt(db);
      }
    }
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("host missing");
    }
    HostPort address = HostPort.parse(rest, DEFAULT_PORT);
    if (address.port() == 0) {
      throw new IllegalArgumentException("port must be 1..65535");
    }
    return new RedisEndpoint(address.host(), address.port(), database);
  }

  @Override
  public String toString() {
    String address = new HostPort(host, port).toString();
    return SCHEME + address + (database == 0 ? "" : "/" + database);
  }
}
