package io.vireo.relay.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The raw-socket SMTP client of every relay test. Dialogue tests read like an RFC transcript:
 * {@code send("MAIL FROM:<a@b>").expect(250)}; integration tests that only need mail accepted use
 * {@link #greeted} and {@link #sendMessage}, which returns the queue id from the 250.
 *
 * <p>Every read has a 15 second timeout, so a stuck server fails the test instead of hanging it.
 * Input is not buffered: after STARTTLS the TLS socket must see every byte the plain stream did not
 * consume.
 */
public final class SmtpTestClient implements AutoCloseable {
  private static final int TIMEOUT_MILLIS = 15_000;
  private static final Pattern QUEUED = Pattern.compile("queued as ([0-9A-Z]{20})");

  /** One reply as received: the code and the text of each line (after the code and separator). */
  public record Reply(int code, List<String> lines) {
    /** The lines' text joined by newlines, without codes. */
    public String text() {
      return String.join("\n", lines);
    }

    public String last() {
      return lines.getLast();
    }

    /** The reply as it came over the wire, code and separator on each line, joined by newlines. */
    public String raw() {
      StringBuilder raw = new StringBuilder();
      for (int i = 0; i < lines.size(); i++) {
        boolean last = i == lines.size() - 1;
        raw.append(code).append(last ? ' ' : '-').append(lines.get(i));
        if (!last) {
          raw.append('\n');
        }
      }
      return raw.toString();
    }
  }

  private final boolean quitOnClose;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  private SmtpTestClient(Socket socket, boolean quitOnClose) throws IOException {
    this.socket = socket;
    this.quitOnClose = quitOnClose;
    socket.setSoTimeout(TIMEOUT_MILLIS);
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Opens a connection and reads nothing: the test expects the greeting itself. */
  public static SmtpTestClient connect(InetSocketAddress server) throws IOException {
    return connect(server, null);
  }

  /** Connects from a chosen local address (null: any), e.g. 127.0.0.2, to appear as another client. */
  public static SmtpTestClient connect(InetSocketAddress server, InetAddress from)
      throws IOException {
    return new SmtpTestClient(open(server, from), false);
  }

  /**
   * Connects and reads the 220 greeting, for tests that are not about the dialogue; {@link #close}
   * then says QUIT first, as a polite client does.
   */
  public static SmtpTestClient greeted(String host, int port) throws IOException {
    return greeted(new InetSocketAddress(host, port), null);
  }

  /** Like {@link #greeted(String, int)}, from {@code from} (null: any local address). */
  public static SmtpTestClient greeted(InetSocketAddress server, InetAddress from)
      throws IOException {
    SmtpTestClient client = new SmtpTestClient(open(server, from), true);
    client.expect(220);
    return client;
  }

  private static Socket open(InetSocketAddress server, InetAddress from) throws IOException {
    Socket socket = new Socket();
    if (from != null) {
      socket.bind(new InetSocketAddress(from, 0));
    }
    socket.connect(server, TIMEOUT_MILLIS);
    return socket;
  }

  /**
   * Runs a TLS handshake over this connection (after the server's 220 to STARTTLS, or at once on
   * an implicit-TLS port) and talks TLS from then on.
   *
   * @return the negotiated protocol, such as TLSv1.3
   */
  public String startTls(SSLContext context) throws IOException {
    SSLSocket tls =
        (SSLSocket)
            context.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
    tls.setUseClientMode(true);
    tls.startHandshake();
    socket = tls;
    in = tls.getInputStream();
    out = tls.getOutputStream();
    return tls.getSession().getProtocol();
  }

  /** Sends one line (a command, or a line of content inside DATA); CRLF is added. */
  public SmtpTestClient send(String line) throws IOException {
    return sendRaw(line + "\r\n");
  }

  /** Sends text exactly as given (UTF-8), no line ending added. */
  public SmtpTestClient sendRaw(String text) throws IOException {
    return sendRaw(text.getBytes(UTF_8));
  }

  public SmtpTestClient sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Sends one command line and checks the code of its reply. */
  public Reply command(String line, int expectedCode) throws IOException {
    return send(line).expect(expectedCode);
  }

  public Reply ehlo(String name) throws IOException {
    return command("EHLO " + name, 250);
  }

  /** Sends one message (content with CRLF endings, not dot-stuffed) and returns its queue id. */
  public String sendMessage(String from, List<String> to, String content) throws IOException {
    return sendMessage(from, "", to, content);
  }

  /**
   * Like {@link #sendMessage(String, List, String)}, with ESMTP parameters on MAIL FROM such as
   * {@code BODY=8BITMIME} (empty for none).
   */
  public String sendMessage(String from, String mailParameters, List<String> to, String content)
      throws IOException {
    String parameters = mailParameters.isEmpty() ? "" : " " + mailParameters;
    command("MAIL FROM:<" + from + ">" + parameters, 250);
    for (String recipient : to) {
      command("RCPT TO:<" + recipient + ">", 250);
    }
    command("DATA", 354);
    Reply reply = sendContent(content);
    assertThat(reply.code()).as("reply %s", reply).isEqualTo(250);
    Matcher matcher = QUEUED.matcher(reply.text());
    if (!matcher.find()) {
      throw new IOException("no queue id in " + reply);
    }
    return matcher.group(1);
  }

  /**
   * After a 354: sends the content (CRLF endings, not dot-stuffed) and the end-of-data line, and
   * returns the reply, whatever its code.
   */
  public Reply sendContent(String content) throws IOException {
    StringBuilder stuffed = new StringBuilder();
    for (String line : content.split("\r\n", -1)) {
      stuffed.append(line.startsWith(".") ? "." + line : line).append("\r\n");
    }
    // split(-1) leaves one empty piece after the final CRLF: drop its extra CRLF.
    stuffed.setLength(stuffed.length() - 2);
    out.write(stuffed.toString().getBytes(UTF_8));
    out.write(".\r\n".getBytes(US_ASCII));
    out.flush();
    return read();
  }

  /** Reads one reply and checks its code. */
  public Reply expect(int code) throws IOException {
    Reply reply = read();
    assertThat(reply.code()).as("reply %s", reply).isEqualTo(code);
    return reply;
  }

  /** Reads one reply and checks code and enhanced status, e.g. {@code expect(503, "5.5.1")}. */
  public Reply expect(int code, String enhancedStatus) throws IOException {
    Reply reply = expect(code);
    assertThat(reply.lines().getFirst()).as("reply %s", reply).startsWith(enhancedStatus + " ");
    return reply;
  }

  /**
   * Reads one complete reply, following {@code code-} continuation lines, whatever its code.
   *
   * @throws EOFException if the server closes the connection first (an I/O failure, so callers
   *     that expect a killed server can catch it)
   */
  public Reply read() throws IOException {
    List<String> lines = new ArrayList<>();
    while (true) {
      String line = readLine();
      if (line == null) {
        throw new EOFException("connection closed while waiting for a reply; got " + lines);
      }
      assertThat(line).as("reply line").matches("\\d{3}[ -].*");
      lines.add(line.substring(4));
      if (line.charAt(3) == ' ') {
        return new Reply(Integer.parseInt(line.substring(0, 3)), lines);
      }
    }
  }

  /**
   * Asserts that the server closed the connection: end of stream (or a reset) with nothing more
   * sent.
   */
  public void expectClosed() throws IOException {
    try {
      int next = in.read();
      assertThat(next).as("expected the server to close the connection").isEqualTo(-1);
    } catch (SocketException e) {
      // A reset also means closed.
    }
  }

  /**
   * Reads whatever the server still sends until it closes the connection (at most 64 KiB), e.g. a
   * TLS alert, and returns it.
   */
  public byte[] readUntilClosed() throws IOException {
    ByteArrayOutputStream rest = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      int n;
      while (rest.size() < 65536 && (n = in.read(buffer)) >= 0) {
        rest.write(buffer, 0, n);
      }
    } catch (SocketException e) {
      // A reset also means closed.
    }
    return rest.toByteArray();
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        return line.size() == 0 ? null : line.toString(UTF_8);
      }
      if (b == '\n') {
        assertThat(previous).as("server line must end with CRLF").isEqualTo('\r');
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, UTF_8);
      }
      line.write(b);
      previous = b;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (quitOnClose) {
        out.write("QUIT\r\n".getBytes(US_ASCII));
        out.flush();
      }
    } catch (IOException ignored) {
      // The server may already be gone; closing the socket is all that matters.
    } finally {
      socket.close();
    }
  }
}
