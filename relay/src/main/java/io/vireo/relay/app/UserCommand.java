package io.vireo.relay.app;

import io.vireo.config.ConfigException;
import io.vireo.relay.auth.PasswordHashing;
import io.vireo.relay.auth.Sasl;
import io.vireo.relay.auth.UsersFile;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code vireo user add|remove|list}: manages the SMTP AUTH users in {@code auth.users-file}. The
 * file is rewritten atomically, readable by its owner only; a running relay picks the change up at
 * the next login.
 */
@Command(
    name = "user",
    description = "Manage the users who may authenticate (auth.users-file).",
    subcommands = {UserCommand.Add.class, UserCommand.Remove.class, UserCommand.ListUsers.class})
final class UserCommand {
  /** A password longer than this is surely a mistake (a file piped in by accident). */
  private static final int MAX_PASSWORD = 1024;

  /** The users file named by {@code auth.users-file} of the configuration. */
  static final class UsersLocation {
    @Mixin ConfigOption config;

    Path resolve() throws ConfigException, UsageException {
      return config
          .load()
          .auth()
          .usersFile()
          .orElseThrow(
              () ->
                  new UsageException(
                      "auth.users-file is not set in the configuration; set it to the file that"
                          + " should hold the users"));
    }
  }

  /** A mistake of the operator's, reported on one line with exit code 1. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  @Command(
      name = "add",
      description =
          "Add a user, or set a user's new password. The password is read from standard input"
              + " (one line), or asked for twice on a terminal.")
  static final class Add implements Callable<Integer> {
    @Mixin UsersLocation location;

    @Parameters(paramLabel = "NAME", description = "User name, as the client gives it in AUTH.")
    String name;

    @Override
    public Integer call() {
      return run(
          () -> {
            String problem = UsersFile.nameProblem(name);
            if (problem != null) {
              throw new UsageException(problem);
            }
            Path file = location.resolve();
            UsersFile users = UsersFile.read(file);
            byte[] password = readPassword();
            try {
              String hash = new PasswordHashing().hash(password, PasswordHashing.DEFAULT_COST);
              boolean existed = users.hashOf(name).isPresent();
              users.with(name, hash).write(file);
              System.out.println((existed ? "password changed for " : "added ") + name);
            } finally {
              Arrays.fill(password, (byte) 0);
            }
          });
    }
  }

  @Command(name = "remove", description = "Remove a user.")
  static final class Remove implements Callable<Integer> {
    @Mixin UsersLocation location;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      return run(
          () -> {
            Path file = location.resolve();
            UsersFile users = UsersFile.read(file);
            if (users.hashOf(name).isEmpty()) {
              throw new UsageException("no such user: " + name);
            }
            users.without(name).write(file);
            System.out.println("removed " + name);
          });
    }
  }

  @Command(name = "list", description = "List the user names, one per line.")
  static final class ListUsers implements Callable<Integer> {
    @Mixin UsersLocation location;

    @Override
    public Integer call() {
      return run(() -> UsersFile.read(location.resolve()).names().forEach(System.out::println));
    }
  }

  private static int run(CommandRun.Action action) {
    return CommandRun.run("vireo user", UsersFile.UsersFileException.class, action);
  }

  /** The password as UTF-8: asked twice on a terminal, else the first line of standard input. */
  private static byte[] readPassword() throws IOException, UsageException {
    Console console = System.console();
    if (console != null && console.isTerminal()) {
      char[] first = console.readPassword("Password: ");
      char[] second = console.readPassword("Again: ");
      try {
        if (first == null || second == null || !Arrays.equals(first, second)) {
          throw new UsageException("the passwords do not match");
        }
        return checked(new String(first).getBytes(StandardCharsets.UTF_8));
      } finally {
        if (first != null) {
          Arrays.fill(first, ' ');
        }
        if (second != null) {
          Arrays.fill(second, ' ');
        }
      }
    }
    return checked(firstLine(System.in));
  }

  private static byte[] firstLine(InputStream in) throws IOException, UsageException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (line.size() > MAX_PASSWORD) {
        throw new UsageException("the password is longer than " + MAX_PASSWORD + " octets");
      }
      line.write(b);
    }
    byte[] bytes = line.toByteArray();
    int length = bytes.length;
    if (length > 0 && bytes[length - 1] == '\r') {
      length--;
    }
    return Arrays.copyOf(bytes, length);
  }

  private static byte[] checked(byte[] password) throws UsageException {
    if (password.length == 0) {
      throw new UsageException("empty password; give it on standard input, e.g. one line");
    }
    for (byte b : password) {
      // PLAIN separates fields with NUL (RFC 4616), and LOGIN sends one line.
      if (b == 0 || b == '\r' || b == '\n') {
        throw new UsageException("the password must not contain NUL, CR or LF");
      }
    }
    if (Sasl.utf8(password).isEmpty()) {
      throw new UsageException("the password is not valid UTF-8");
    }
    return password;
  }
}
