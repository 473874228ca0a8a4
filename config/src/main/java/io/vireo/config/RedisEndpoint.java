package io.vireo.config;

import java.util.Locale;

/**
 * Where the Redis server that a fleet of Vireo nodes shares lives, written {@code
 * redis://host[:port][/database]}, or {@code rediss://...} for TLS (port 6379 and database 0 when
 * left out). Over TLS the server's certificate and host name are verified, against {@code
 * cluster.redis-ca-file} or the JVM's trust store. Credentials never go in the address: the ACL
 * user is {@code cluster.redis-user} and the password is read from {@code
 * cluster.redis-password-file} ({@link ClusterConfig}), so vireo.yaml holds no secret.
 *
 * @param host a host name or IP literal (IPv6 without brackets)
 * @param port 1..65535
 * @param database the logical database number, 0..15 on a default Redis
 * @param tls whether the connection is TLS ({@code rediss://})
 */
public record RedisEndpoint(String host, int port, int database, boolean tls) {
  public static final int DEFAULT_PORT = 6379;
  private static final String SCHEME = "redis://";
  private static final String TLS_SCHEME = "rediss://";

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

  /** A plain-text ({@code redis://}) endpoint. */
  public RedisEndpoint(String host, int port, int database) {
    this(host, port, database, false);
  }

  /**
   * Parses {@code redis://host[:port][/database]} or {@code rediss://host[:port][/database]}.
   *
   * @throws IllegalArgumentException with a short reason when the text is not of that form
   */
  public static RedisEndpoint parse(String text) {
    String s = text.strip();
    String lower = s.toLowerCase(Locale.ROOT);
    boolean tls = lower.startsWith(TLS_SCHEME);
    if (!tls && !lower.startsWith(SCHEME)) {
      throw new IllegalArgumentException("must start with redis:// or rediss://");
    }
    String rest = s.substring(tls ? TLS_SCHEME.length() : SCHEME.length());
    if (rest.indexOf('@') >= 0) {
      // Never echo the text: it may hold a password.
      throw new IllegalArgumentException(
          "credentials do not go in the address: set cluster.redis-user and"
              + " cluster.redis-password-file");
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
    return new RedisEndpoint(address.host(), address.port(), database, tls);
  }

  @Override
  public String toString() {
    String address = new HostPort(host, port).toString();
    return (tls ? TLS_SCHEME : SCHEME) + address + (database == 0 ? "" : "/" + database);
  }
}
