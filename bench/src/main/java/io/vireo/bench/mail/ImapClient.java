package io.vireo.bench.mail;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A minimal IMAP4rev1/rev2 client for load: one command at a time, no pipelining, untagged responses
 * counted (FETCH, SEARCH, EXISTS) and literals skipped (RFC 9051 sections 2.2.2 and 4.3).
 */
final class ImapClient implements AutoCloseable {
  private final Socket socket;
  private final MailInput input;
  private final OutputStream output;
  private int tags;

  private ImapClient(Socket socket) throws IOException {
    this.socket = socket;
    this.input = new MailInput(socket.getInputStream());
    this.output = new BufferedOutputStream(socket.getOutputStream(), 8192);
  }

  /** Connects and reads the greeting (which must be {@code * OK}). */
  static ImapClient open(InetSocketAddress server, Duration timeout) throws IOException {
    return MailSockets.open(server, timeout, socket -> {
      ImapClient client = new ImapClient(socket);
      String greeting = client.input.readLine();
      if (!greeting.startsWith("* OK")) {
        throw new MailProtocolException("IMAP greeting: " + greeting);
      }
      return client;
    });
  }

  /** LOGIN with quoted strings, then SELECT of {@code mailbox}; returns the message count. */
  long loginAndSelect(String user, String password, String mailbox) throws IOException {
    expectOk(command("LOGIN " + quoted(user) + " " + quoted(password)), "LOGIN");
    return select(mailbox);
  }

  long select(String mailbox) throws IOException {
    ImapResponse selected = expectOk(command("SELECT " + quoted(mailbox)), "SELECT");
    if (selected.exists() < 0) {
      throw new MailProtocolException("SELECT without an EXISTS response");
    }
    return selected.exists();
  }

  /** Sends {@code text} with a fresh tag and reads every response up to the tagged one. */
  ImapResponse command(String text) throws IOException {
    String tag = "b" + ++tags;
    output.write((tag + " " + text + "\r\n").getBytes(StandardCharsets.UTF_8));
    output.flush();
    long before = input.octets();
    int fetches = 0;
    int hits = 0;
    long exists = -1;
    long literals = 0;
    while (true) {
      String line = input.readLine();
      if (line.startsWith(tag + " ")) {
        String rest = line.substring(tag.length() + 1);
        int space = rest.indexOf(' ');
        String status = space < 0 ? rest : rest.substring(0, space);
        return new ImapResponse(
            status, space < 0 ? "" : rest.substring(space + 1), fetches, hits, exists, literals,
            input.octets() - before);
      }
      if (line.startsWith("* ")) {
        int[] kind = untagged(line);
        switch (kind[0]) {
          case FETCH -> fetches++;
          case SEARCH -> hits += kind[1];
          case EXISTS -> exists = kind[1];
          default -> {}
        }
      }
      // A line ending in {n} (or {n+}) announces n octets of literal, after which the response's
      // line goes on (and may announce another literal).
      long literal = literalLength(line);
      while (literal >= 0) {
        input.skip(literal);
        literals += literal;
        literal = literalLength(input.readLine());
      }
    }
  }

  /** LOGOUT, ignoring a server that hangs up first. */
  void logout() {
    try {
      command("LOGOUT");
    } catch (IOException e) {
      // The session is over either way.
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private static final int OTHER = 0;
  private static final int FETCH = 1;
  private static final int SEARCH = 2;
  private static final int EXISTS = 3;

  /** {kind, number}: a FETCH, a SEARCH with its hit count, an EXISTS with its count, or other. */
  private static int[] untagged(String line) {
    if (line.startsWith("* SEARCH")) {
      String hits = line.substring("* SEARCH".length()).strip();
      return new int[] {SEARCH, hits.isEmpty() ? 0 : hits.split(" +").length};
    }
    int numberEnd = line.indexOf(' ', 2);
    if (numberEnd < 0 || !Character.isDigit(line.charAt(2))) {
      return new int[] {OTHER, 0};
    }
    String word = line.substring(numberEnd + 1);
    if (word.startsWith("FETCH")) {
      return new int[] {FETCH, 0};
    }
    if (word.startsWith("EXISTS")) {
      return new int[] {EXISTS, Integer.parseInt(line.substring(2, numberEnd))};
    }
    return new int[] {OTHER, 0};
  }

  static long literalLength(String line) {
    if (!line.endsWith("}")) {
      return -1;
    }
    int open = line.lastIndexOf('{');
    if (open < 0) {
      return -1;
    }
    String digits = line.substring(open + 1, line.length() - 1);
    if (digits.endsWith("+")) {
      digits = digits.substring(0, digits.length() - 1);
    }
    if (digits.isEmpty() || digits.length() > 12 || !digits.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    return Long.parseLong(digits);
  }

  static String quoted(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Returns {@code response} if it is an OK, else fails naming the command. */
  static ImapResponse expectOk(ImapResponse response, String what) throws MailProtocolException {
    if (!response.ok()) {
      throw new MailProtocolException(what + ": " + response.status() + " " + response.text());
    }
    return response;
  }
}
