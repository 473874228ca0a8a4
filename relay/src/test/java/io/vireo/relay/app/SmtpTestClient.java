package io.vireo.relay.app;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal blocking SMTP client for tests that need the raw replies (queue ids, codes). Every read has a
 * timeout, so a stuck server fails the test instead of hanging it.
 */
final class SmtpTestClient implements AutoCloseable {
  private static final Pattern QUEUED = Pattern.compile("queued as ([0-9A-Z]{20})");
  private static final int TIMEOUT_MILLIS = 15_000;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private SmtpTestClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = new BufferedOutputStream(socket.getOutputStream());
  }

  static SmtpTestClient connect(String host, int port) throws IOException {
    return connect(new InetSocketAddress(host, port), null);
  }

  /** Connects from {@code from} (null: any local address), e.g. 127.0.0.77, and reads the 220. */
  static SmtpTestClient connect(InetSocketAddress server, InetAddress from) throws IOException {
    Socket socket = new Socket();
    if (from != null) {
      socket.bind(new InetSocketAddress(from, 0));
    }
    socket.connect(server, TIMEOUT_MILLIS);
    socket.setSoTimeout(TIMEOUT_MILLIS);
    SmtpTestClient client = new SmtpTestClient(socket);
    client.expect(220);
    return client;
  }

  void ehlo(String name) throws IOException {
    command("EHLO " + name, 250);
  }

  /** Sends one message (content with CRLF endings, not dot-stuffed) and returns its queue id. */
  String send(String from, List<String> to, String content) throws IOException {
    return send(from, "", to, content);
  }

  /**
   * Like {@link #send(String, List, String)}, with ESMTP parameters on MAIL FROM such as {@code
   * BODY=8BITMIME} (empty for none).
   */
  String send(String from, String mailParameters, List<String> to, String content)
      throws IOException {
    String parameters = mailParameters.isEmpty() ? "" : " " + mailParameters;
    command("MAIL FROM:<" + from + ">" + parameters, 250);
    for (String recipient : to) {
      command("RCPT TO:<" + recipient + ">", 250);
    }
    command("DATA", 354);
    writeContent(content);
    String reply = expect(250);
    Matcher matcher = QUEUED.matcher(reply);
    if (!matcher.find()) {
      throw new IOException("no queue id in " + reply);
    }
    return matcher.group(1);
  }

  /**
   * After a 354: sends the content (CRLF endings, not dot-stuffed) and the end-of-data line, and
   * returns the reply, whatever its code.
   */
  String sendContent(String content) throws IOException {
    writeContent(content);
    return reply();
  }

  private void writeContent(String content) throws IOException {
    StringBuilder stuffed = new StringBuilder();
    for (String line : content.split("\r\n", -1)) {
      stuffed.append(line.startsWith(".") ? "." + line : line).append("\r\n");
    }
    // split(-1) leaves one empty piece after the final CRLF: drop its extra CRLF.
    stuffed.setLength(stuffed.length() - 2);
    out.write(stuffed.toString().getBytes(StandardCharsets.UTF_8));
    out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Sends a line without waiting for a reply (content inside DATA). */
  void line(String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  String command(String line, int expectedCode) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    return expect(expectedCode);
  }

  /** Reads one (possibly multi-line) reply, whatever its code. */
  String reply() throws IOException {
    List<String> lines = new ArrayList<>();
    String line;
    do {
      line = readLine();
      lines.add(line);
    } while (line.length() > 3 && line.charAt(3) == '-');
    return String.join("\n", lines);
  }

  /** Reads one (possibly multi-line) reply and checks its code. */
  String expect(int code) throws IOException {
    String reply = reply();
    String line = reply.substring(reply.lastIndexOf('\n') + 1);
    if (!line.startsWith(String.valueOf(code))) {
      throw new IOException("expected " + code + " but got: " + reply);
    }
    return reply;
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    int previous = -1;
    for (int b = in.read(); ; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed by server");
      }
      if (previous == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      line.write(b);
      previous = b;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException ignored) {
      // The server may already be gone; closing the socket is all that matters.
    } finally {
      socket.close();
    }
  }
}
