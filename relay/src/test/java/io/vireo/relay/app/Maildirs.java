package io.vireo.relay.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the Maildirs local delivery wrote, as a mail reader would: {@code new/} and {@code cur/}. */
final class Maildirs {
  private Maildirs() {}

  /** The user's Maildir (INBOX) under {@code root}. */
  static Path of(Path root, String user) {
    return root.resolve(user).resolve("Maildir");
  }

  /** The messages a reader sees in {@code user}'s INBOX, in no particular order. */
  static List<String> messages(Path root, String user) {
    List<String> messages = new ArrayList<>();
    for (Path file : files(of(root, user), "new", "cur")) {
      try {
        messages.add(Files.readString(file, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return messages;
  }

  /** The files in the given subdirectories of {@code maildir} (none when it does not exist). */
  static List<Path> files(Path maildir, String... subdirectories) {
    List<Path> files = new ArrayList<>();
    for (String sub : subdirectories) {
      Path dir = maildir.resolve(sub);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> list = Files.list(dir)) {
        list.filter(Files::isRegularFile).forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  /**
   * The message without its first header field (with its continuation lines): Vireo's {@code
   * Received:} after the envelope headers.
   */
  static String withoutFirstField(String message) {
    int end = message.indexOf("\r\n");
    while (end >= 0 && end + 2 < message.length()
        && (message.charAt(end + 2) == ' ' || message.charAt(end + 2) == '\t')) {
      end = message.indexOf("\r\n", end + 2);
    }
    return message.substring(end + 2);
  }
}
