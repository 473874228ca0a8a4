package io.vireo.relay.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A line-at-a-time POP3 client for dialogue tests that read like RFC 1939's examples: {@code
 * send("STAT"); expect("+OK 2 320")}. Times out after 30 s per read, so a test never hangs.
 */
public final class Pop3TestClient implements AutoCloseable {
  private Socket socket;
  private BufferedReader in;
  private OutputStream out;

  private Pop3TestClient(Socket socket) throws IOException {
    use(socket);
  }

  public static Pop3TestClient connect(InetSocketAddress server) throws IOException {
    Socket socket = new Socket();
    socket.connect(server, 30_000);
    return new Pop3TestClient(socket);
  }

  /** Connects with TLS from the first byte (pop3s). */
  public static Pop3TestClient connectTls(InetSocketAddress server, SSLContext context) throws IOException {
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
    socket.connect(server, 30_000);
    socket.setSoTimeout(30_000);
    socket.startHandshake();
    return new Pop3TestClient(socket);
  }

  private void use(Socket next) throws IOException {
    socket = next;
    socket.setSoTimeout(30_000);
    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    out = socket.getOutputStream();
  }

  /** Writes {@code text} and CRLF. */
  public void send(String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Writes raw octets as they are. */
  public void sendRaw(String octets) throws IOException {
    out.write(octets.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** The next status line. */
  public String read() throws IOException {
    String line = in.readLine();
    if (line == null) {
      throw new IOException("connection closed");
    }
    return line;
  }

  /** Reads the next line and checks that it starts with {@code prefix}; returns it. */
  public String expect(String prefix) throws IOException {
    String line = read();
    assertThat(line).startsWith(prefix);
    return line;
  }

  /** The lines of a multi-line response up to its "." line, dot-stuffing undone. */
  public List<String> readMultiLine() throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line = read(); !line.equals("."); line = read()) {
      lines.add(line.startsWith(".") ? line.substring(1) : line);
    }
    return lines;
  }

  /** True once the server has closed the connection (end of input). */
  public boolean closedByServer() throws IOException {
    return in.readLine() == null;
  }

  /** Upgrades to TLS after +OK to STLS. */
  public void startTls(SSLContext context) throws IOException {
    SSLSocket tls =
        (SSLSocket)
            context.getSocketFactory()
                .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
    tls.setUseClientMode(true);
    tls.startHandshake();
    use(tls);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
