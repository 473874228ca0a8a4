package io.vireo.bench.mail;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A minimal POP3 client (RFC 1939) for load: USER/PASS, STAT, RETR, QUIT, one command at a time. */
final class Pop3Client implements AutoCloseable {
  private final Socket socket;
  private final MailInput input;
  private final OutputStream output;

  private Pop3Client(Socket socket) throws IOException {
    this.socket = socket;
    this.input = new MailInput(socket.getInputStream());
    this.output = new BufferedOutputStream(socket.getOutputStream(), 1024);
  }

  /** Connects and reads the {@code +OK} greeting. */
  static Pop3Client open(InetSocketAddress server, Duration timeout) throws IOException {
    return MailSockets.open(server, timeout, socket -> {
      Pop3Client client = new Pop3Client(socket);
      client.status("greeting", client.input.readLine());
      return client;
    });
  }

  /** USER and PASS; then STAT, whose message count is returned. */
  int login(String user, String password) throws IOException {
    status("USER", command("USER " + user));
    status("PASS", command("PASS " + password));
    String stat = status("STAT", command("STAT"));
    String[] words = stat.split(" ");
    if (words.length < 3) {
      throw new MailProtocolException("STAT: " + stat);
    }
    return Integer.parseInt(words[1]);
  }

  /**
   * RETR of message {@code number}: reads the multi-line reply to its terminating dot line (RFC 1939
   * section 3) and returns the octets of the message as sent, dot-stuffing and CRLFs included.
   */
  long retr(int number) throws IOException {
    status("RETR " + number, command("RETR " + number));
    return input.skipDotTerminated();
  }

  void quit() {
    try {
      command("QUIT");
    } catch (IOException e) {
      // The session is over either way.
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private String command(String line) throws IOException {
    output.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    output.flush();
    return input.readLine();
  }

  private String status(String what, String reply) throws MailProtocolException {
    if (!reply.startsWith("+OK")) {
      throw new MailProtocolException(what + ": " + reply);
    }
    return reply;
  }
}
