package io.vireo.relay.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The text of {@code auth.users-file}: one user per line as {@code name:hash} or {@code
 * name:hash:senders}, where the hash is a {@link PasswordHashing} string and the optional third
 * field lists the sender addresses and domains the user may use in {@code MAIL FROM} ({@link
 * AllowedSenders}; without it, any sender). {@code #} starts a comment line; blank lines are
 * ignored. Names are case-sensitive, 1 to 255 characters, without colons, spaces or control
 * characters. Neither hash format contains a colon, so a two-field line reads as before. For
 * example:
 *
 * <pre>
 * # Vireo SMTP AUTH users (vireo user add NAME)
 * app@example.com:$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$...
 * billing:$argon2id$v=19$m=19456,t=2,p=1$...$...:billing@example.com,notify.example.com
 * </pre>
 *
 * An immutable value: {@link #with} and {@link #without} return changed copies that keep the other
 * lines, comments included, as they were.
 */
public final class UsersFile {
  static final String HEADER =
      "# Vireo SMTP AUTH users: one \"name:hash\" line each (Argon2id or bcrypt hash). Managed by\n"
          + "# vireo user add|remove|list; keep this file readable by the relay's user only.\n"
          + "# Append \":app@example.com,example.org\" to a line to limit that user's MAIL FROM.";

  private final List<String> lines;
  private final Map<String, String> hashes;
  private final Map<String, AllowedSenders> senders;

  private UsersFile(
      List<String> lines, Map<String, String> hashes, Map<String, AllowedSenders> senders) {
    this.lines = List.copyOf(lines);
    this.hashes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hashes));
    this.senders = Map.copyOf(senders);
  }

  /** A file with only the explanatory header. */
  public static UsersFile empty() {
    return new UsersFile(HEADER.lines().toList(), Map.of(), Map.of());
  }

  /**
   * Parses the file's text; {@code source} names it in errors.
   *
   * @throws UsersFileException naming the line of the first problem
   */
  public static UsersFile parse(String text, String source) {
    List<String> lines = text.lines().toList();
    Map<String, String> hashes = new LinkedHashMap<>();
    Map<String, AllowedSenders> senders = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      String where = source + ":" + (i + 1) + ": ";
      if (colon < 0) {
        throw new UsersFileException(where + "expected name:hash");
      }
      String name = line.substring(0, colon);
      String hash = line.substring(colon + 1);
      int second = hash.indexOf(':');
      if (second >= 0) {
        try {
          senders.put(name, AllowedSenders.parse(hash.substring(second + 1)));
        } catch (IllegalArgumentException e) {
          throw new UsersFileException(where + "senders of " + name + ": " + e.getMessage());
        }
        hash = hash.substring(0, second);
      }
      String nameProblem = nameProblem(name);
      if (nameProblem != null) {
        throw new UsersFileException(where + nameProblem);
      }
      if (!PasswordHashing.isSupported(hash)) {
        throw new UsersFileException(
            where + "the hash of " + name + " is not an argon2id or bcrypt hash");
      }
      if (hashes.putIfAbsent(name, hash) != null) {
        throw new UsersFileException(where + "user " + name + " is listed twice");
      }
    }
    return new UsersFile(lines, hashes, senders);
  }

  /**
   * Reads {@code file}; a file that does not exist reads as an empty one.
   *
   * @throws IOException if it exists but cannot be read
   * @throws UsersFileException if its text is invalid
   */
  public static UsersFile read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return empty();
    }
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /**
   * Writes the file atomically (a new file, then a rename over the old one), readable and writable
   * by its owner only, so a relay reading it at the same time sees the old or the new list, whole.
   */
  public void write(Path file) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    Path temporary = dir.resolve("." + absolute.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    try {
      Files.createFile(
          temporary,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(temporary);
    } catch (FileAlreadyExistsException e) {
      throw new IOException("another vireo user command is writing " + file, e);
    }
    try {
      Files.writeString(temporary, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
      try {
        Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** The user names, in file order. */
  public List<String> names() {
    return List.copyOf(hashes.keySet());
  }

  public Optional<String> hashOf(String name) {
    return Optional.ofNullable(hashes.get(name));
  }

  /** The senders {@code name} is restricted to; empty when the user may use any sender. */
  public Optional<AllowedSenders> sendersOf(String name) {
    return Optional.ofNullable(senders.get(name));
  }

  /**
   * A copy with {@code name}'s hash set: the line replaced in place (its senders kept), or
   * appended.
   */
  public UsersFile with(String name, String hash) {
    String problem = nameProblem(name);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    if (!PasswordHashing.isSupported(hash)) {
      throw new IllegalArgumentException("not an argon2id or bcrypt hash");
    }
    List<String> changed = new ArrayList<>(lines.size() + 1);
    boolean replaced = false;
    String entry =
        name + ":" + hash + sendersOf(name).map(list -> ":" + list.format()).orElse("");
    for (String line : lines) {
      if (isLineOf(line, name)) {
        changed.add(entry);
        replaced = true;
      } else {
        changed.add(line);
      }
    }
    if (!replaced) {
      changed.add(entry);
    }
    Map<String, String> changedHashes = new LinkedHashMap<>(hashes);
    changedHashes.put(name, hash);
    return new UsersFile(changed, changedHashes, senders);
  }

  /** A copy without {@code name}. */
  public UsersFile without(String name) {
    List<String> changed = lines.stream().filter(line -> !isLineOf(line, name)).toList();
    Map<String, String> changedHashes = new LinkedHashMap<>(hashes);
    changedHashes.remove(name);
    Map<String, AllowedSenders> changedSenders = new LinkedHashMap<>(senders);
    changedSenders.remove(name);
    return new UsersFile(changed, changedHashes, changedSenders);
  }

  private static boolean isLineOf(String line, String name) {
    String stripped = line.strip();
    return !stripped.startsWith("#") && stripped.startsWith(name + ":");
  }

  /** Why {@code name} cannot be a user name, or null if it can. */
  public static String nameProblem(String name) {
    if (name.isEmpty() || name.length() > 255) {
      return "a user name has 1 to 255 characters";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == ':' || Character.isWhitespace(c) || Character.isISOControl(c)) {
        return "a user name has no colon, space or control character: " + name;
      }
    }
    return null;
  }

  /** An invalid users file; the message names the file and line. */
  public static final class UsersFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsersFileException(String message) {
      super(message);
    }
  }
}
