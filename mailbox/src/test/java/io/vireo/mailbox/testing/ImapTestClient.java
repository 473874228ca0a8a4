package io.vireo.mailbox.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A raw IMAP client for dialogue tests: sends lines exactly as written and reads responses, a
 * literal folded into its line as {@code {n}\r\n<octets>}. Every read has a 30 s deadline.
 */
public final class ImapTestClient implements AutoCloseable {
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  public ImapTestClient(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(30_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** Sends one line (CRLF added). */
  public void send(String line) throws IOException {
    sendRaw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
  }

  public void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Reads one response line, with any literals in it. */
  public String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("server closed the connection after: " + line);
      }
      if (c == '\n') {
        String text = line.toString(StandardCharsets.UTF_8);
        String withoutCr = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        int open = withoutCr.lastIndexOf('{');
        if (withoutCr.endsWith("}") && open >= 0) {
          int length = Integer.parseInt(withoutCr.substring(open + 1, withoutCr.length() - 1));
          line.reset();
          line.write(withoutCr.getBytes(StandardCharsets.UTF_8));
          line.write('\n');
          line.write(in.readNBytes(length));
          continue;
        }
        return withoutCr;
      }
      line.write(c);
    }
  }

  /** Sends a tagged command and returns every response up to and including the tagged one. */
  public List<String> command(String tag, String command) throws IOException {
    send(tag + " " + command);
    return until(tag);
  }

  /** Reads responses up to and including the one tagged {@code tag}. */
  public List<String> until(String tag) throws IOException {
    List<String> lines = new ArrayList<>();
    while (true) {
      String line = line();
      lines.add(line);
      if (line.startsWith(tag + " ")) {
        return lines;
      }
    }
  }

  /** Replaces the connection with TLS (after the server's OK to STARTTLS). */
  public void startTls(SSLContext context) throws IOException {
    SSLSocket tls =
        (SSLSocket) context.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
    tls.setUseClientMode(true);
    tls.startHandshake();
    socket = tls;
    in = tls.getInputStream();
    out = tls.getOutputStream();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
