package io.vireo.relay.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A raw-socket SMTP client for dialogue tests, so a test reads like an RFC transcript: {@code
 * send("MAIL FROM:<a@b>"); expect(250)}. Every read has a 5 second timeout, so a test never hangs.
 */
final class SmtpTestClient implements AutoCloseable {
  private static final int READ_TIMEOUT_MILLIS = 5_000;

  /** One reply as received: the code and the text of each line (after the code and separator). */
  record Reply(int code, List<String> lines) {
    String text() {
      return String.join("\n", lines);
    }

    String last() {
      return lines.getLast();
    }
  }

  private Socket socket;
  private InputStream in;
  private OutputStream out;

  private SmtpTestClient(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static SmtpTestClient connect(InetSocketAddress server) throws IOException {
    return connect(server, null);
  }

  /** Connects from a chosen local address, e.g. 127.0.0.2, to appear as another client. */
  static SmtpTestClient connect(InetSocketAddress server, InetAddress from) throws IOException {
    Socket socket = new Socket();
    if (from != null) {
      socket.bind(new InetSocketAddress(from, 0));
    }
    socket.connect(server, READ_TIMEOUT_MILLIS);
    return new SmtpTestClient(socket);
  }

  /**
   * Runs a TLS handshake over this connection (after the server's 220 to STARTTLS, or at once on
   * an implicit-TLS port) and talks TLS from then on.
   *
   * @return the negotiated protocol, such as TLSv1.3
   */
  String startTls(SSLContext context) throws IOException {
    SSLSocket tls =
        (SSLSocket)
            context
                .getSocketFactory()
                .createSocket(socket, "127.0.0.1", socket.getPort(), true);
    tls.setUseClientMode(true);
    tls.startHandshake();
    socket = tls;
    in = tls.getInputStream();
    out = tls.getOutputStream();
    return tls.getSession().getProtocol();
  }

  /** Sends one command line; CRLF is added. */
  SmtpTestClient send(String line) throws IOException {
    return sendRaw(line + "\r\n");
  }

  /** Sends text exactly as given (UTF-8), no line ending added. */
  SmtpTestClient sendRaw(String text) throws IOException {
    return sendRaw(text.getBytes(UTF_8));
  }

  SmtpTestClient sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Reads one reply and checks its code. */
  Reply expect(int code) throws IOException {
    Reply reply = read();
    assertThat(reply.code()).as("reply %s", reply).isEqualTo(code);
    return reply;
  }

  /** Reads one reply and checks code and enhanced status, e.g. {@code expect(503, "5.5.1")}. */
  Reply expect(int code, String enhancedStatus) throws IOException {
    Reply reply = expect(code);
    assertThat(reply.lines().getFirst()).as("reply %s", reply).startsWith(enhancedStatus + " ");
    return reply;
  }

  /** Reads one complete reply, following {@code code-} continuation lines. */
  Reply read() throws IOException {
    List<String> lines = new ArrayList<>();
    int code;
    while (true) {
      String line = readLine();
      if (line == null) {
        throw new AssertionError("connection closed while waiting for a reply; got " + lines);
      }
      assertThat(line).as("reply line").matches("\\d{3}[ -].*");
      code = Integer.parseInt(line.substring(0, 3));
      lines.add(line.substring(4));
      if (line.charAt(3) == ' ') {
        return new Reply(code, lines);
      }
    }
  }

  /**
   * Asserts that the server closed the connection: end of stream (or a reset) with nothing more
   * sent.
   */
  void expectClosed() throws IOException {
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
  byte[] readUntilClosed() throws IOException {
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
    socket.close();
  }
}
