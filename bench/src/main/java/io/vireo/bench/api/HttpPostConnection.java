package io.vireo.bench.api;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * One keep-alive HTTP/1.1 connection that posts the same request again and again: the counterpart,
 * for {@code bin/bench api}, of the SMTP load's socket client. The JDK's HttpClient spent about 1.5x
 * the CPU per request of the SMTP client (7.4 s against 4.9 s for 22,000 messages), and on a 2-core
 * machine the load generator's CPU is taken from the server; this client renders the request once
 * and reads each answer's status line, headers and {@code Content-Length} body, nothing more (no
 * chunked answers: the API never sends them). Not thread-safe: one per client thread.
 */
final class HttpPostConnection implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MILLIS = 30_000;
  private static final int READ_TIMEOUT_MILLIS = 60_000;
  private static final int MAX_HEADER_LINE = 8192;

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final byte[] request;
  private final StringBuilder line = new StringBuilder(128);

  private HttpPostConnection(Socket socket, byte[] request) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new BufferedInputStream(socket.getInputStream(), 8192);
    this.request = request;
  }

  /** Connects to {@code uri}'s host and port; every {@link #post} sends {@code body} to its path. */
  static HttpPostConnection open(URI uri, Map<String, String> headers, byte[] body) throws IOException {
    StringBuilder head = new StringBuilder(256);
    head.append("POST ").append(uri.getRawPath()).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] request = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(body, 0, request, headBytes.length, body.length);
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), CONNECT_TIMEOUT_MILLIS);
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      return new HttpPostConnection(socket, request);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** Sends the request and reads the whole answer; returns its status code. */
  int post() throws IOException {
    out.write(request);
    out.flush();
    String status = readLine();
    if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
      throw new IOException("not an HTTP/1.1 status line: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean close = false;
    for (String header = readLine(); !header.isEmpty(); header = readLine()) {
      int colon = header.indexOf(':');
      String name = colon < 0 ? header : header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = colon < 0 ? "" : header.substring(colon + 1).strip();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> throw new IOException("a chunked answer: not expected from the API");
        case "connection" -> close = value.equalsIgnoreCase("close");
        default -> {}
      }
    }
    if (length < 0) {
      throw new IOException("an answer without Content-Length");
    }
    in.skipNBytes(length); // EOFException when the connection closes inside the body
    if (close) {
      throw new IOException("the server closed the connection (Connection: close)");
    }
    return code;
  }

  private String readLine() throws IOException {
    line.setLength(0);
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("the connection closed inside an answer's head");
      }
      if (b != '\r') {
        line.append((char) b);
      }
      if (line.length() > MAX_HEADER_LINE) {
        throw new IOException("an answer's header line over " + MAX_HEADER_LINE + " characters");
      }
    }
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
