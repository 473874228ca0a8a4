package io.vireo.relay.api;

import io.vireo.config.Rate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The API keys file ({@code api.keys-file}): one key a line, {@code
 * name<TAB>sha256-hex<TAB>rate-or-empty<TAB>domain,domain}. Only hashes are stored: a key is 256
 * random bits, so a plain SHA-256 is enough (no password-style slow hash is needed against
 * guessing), and lookups cost one hash. The running API reads the file once at start ({@link
 * #load}) and again when it changes, at most once a second, so {@code vireo apikey create} and
 * {@code remove} take effect without a restart; requests during a reread use the keys read before.
 */
public final class ApiKeys {
  private static final String PREFIX = "vireo_";
  private static final long RECHECK_NANOS = 1_000_000_000L;

  private final Path file;
  private volatile Map<String, ApiKey> byHash = Map.of();
  private volatile FileTime loaded;
  private volatile long checkedAt = System.nanoTime() - RECHECK_NANOS;
  private final ReentrantLock rereading = new ReentrantLock();

  public ApiKeys(Path file) {
    this.file = file;
  }

  /**
   * Reads the keys now, before the first request: a lookup never waits for the file, so without
   * this the requests that arrived while the first read ran found no keys and got 401.
   *
   * @throws IOException naming the file when it cannot be read or a line is malformed
   */
  public void load() throws IOException {
    rereading.lock();
    try {
      readIn(Files.exists(file) ? Files.getLastModifiedTime(file) : null);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    } finally {
      rereading.unlock();
    }
  }

  /** The key whose secret is {@code secret}, or empty. */
  public Optional<ApiKey> find(String secret) {
    String hash = hash(secret);
    // A known key never waits for a reread; an unknown one waits for a due one, so a key created
    // a moment ago is found, and a flood of wrong keys costs one file check a second.
    refresh(!byHash.containsKey(hash));
    return Optional.ofNullable(byHash.get(hash));
  }

  /** Every key, in file order. */
  public List<ApiKey> list() throws IOException {
    return read();
  }

  /**
   * Adds a key named {@code name} and returns its secret, which is nowhere stored.
   *
   * @throws IllegalArgumentException when the name is taken or malformed
   */
  public String create(String name, List<String> senderDomains, Optional<Rate> rate)
      throws IOException {
    List<ApiKey> keys = new ArrayList<>(read());
    if (keys.stream().anyMatch(key -> key.name().equals(name))) {
      throw new IllegalArgumentException("a key named " + name + " exists; remove it first");
    }
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    keys.add(new ApiKey(name, hash(secret), senderDomains, rate));
    write(keys);
    return secret;
  }

  /** Removes the key named {@code name}; false when there is none. */
  public boolean remove(String name) throws IOException {
    List<ApiKey> keys = new ArrayList<>(read());
    boolean removed = keys.removeIf(key -> key.name().equals(name));
    if (removed) {
      write(keys);
    }
    return removed;
  }

  static String hash(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Rereads the file when it changed, at most once a second; {@code wait}: for another reader too. */
  private void refresh(boolean wait) {
    if (System.nanoTime() - checkedAt < RECHECK_NANOS) {
      return;
    }
    if (wait) {
      rereading.lock();
    } else if (!rereading.tryLock()) {
      return; // another thread rereads; the keys read before still answer
    }
    try {
      long now = System.nanoTime();
      if (now - checkedAt < RECHECK_NANOS) {
        return;
      }
      checkedAt = now;
      FileTime modified = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
      if (modified != null && modified.equals(loaded)) {
        return;
      }
      readIn(modified);
    } catch (IOException | RuntimeException e) {
      // Keep the keys last read: a half-written or unreadable file must not lock everyone out.
      org.slf4j.LoggerFactory.getLogger(ApiKeys.class).warn("api.keys-file {}: {}", file, e.toString());
    } finally {
      rereading.unlock();
    }
  }

  /** Replaces the keys in force with the file's; caller holds {@code rereading}. */
  private void readIn(FileTime modified) throws IOException {
    byHash = read().stream().collect(Collectors.toUnmodifiableMap(ApiKey::hash, Function.identity()));
    loaded = modified;
  }

  private List<ApiKey> read() throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<ApiKey> keys = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\t", -1);
      if (fields.length != 4) {
        throw new IOException(file + ": a line needs 4 tab-separated fields: " + fields[0]);
      }
      keys.add(
          new ApiKey(
              fields[0],
              fields[1],
              fields[3].isEmpty() ? List.of() : Arrays.asList(fields[3].split(",")),
              fields[2].isEmpty() ? Optional.empty() : Optional.of(Rate.parse(fields[2]))));
    }
    return keys;
  }

  private void write(List<ApiKey> keys) throws IOException {
    StringBuilder text = new StringBuilder("# name\tsha256\trate\tsender-domains (vireo apikey)\n");
    for (ApiKey key : keys) {
      text.append(key.name())
          .append('\t')
          .append(key.hash())
          .append('\t')
          .append(key.rate().map(Rate::toString).orElse(""))
          .append('\t')
          .append(String.join(",", key.senderDomains()))
          .append('\n');
    }
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temp = Files.createTempFile(parent, ".apikeys", ".tmp");
    try {
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the directory's protection is all there is.
    }
    Files.writeString(temp, text, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
