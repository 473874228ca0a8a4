package io.vireo.bench.idle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One SMTP session held open and silent after EHLO. It costs the client a socket and, while held, a
 * virtual thread parked in a read that only returns when the server hangs up: that is how the fleet
 * learns of sessions the server dropped.
 */
public final class IdleConnection implements AutoCloseable {
  /** RFC 5321 section 4.5.3.1.5 allows 512 octets per reply line; allow some slack. */
  private static final int MAX_REPLY_LINE = 1024;

  /** A multi-line EHLO reply must end; a server sending more lines than this is broken. */
  private static final int MAX_REPLY_LINES = 100;

  private static final byte[] QUIT = "QUIT\r\n".getBytes(StandardCharsets.US_ASCII);

  private final Socket socket;

  private IdleConnection(Socket socket) {
    this.socket = socket;
  }

  /**
   * Connects (from {@code source} when not null), reads the 220 greeting, sends EHLO and reads its
   * 250 reply, each step bounded by {@code options.timeout()}. On success the socket's read timeout
   * is cleared: an idle session waits for the server for as long as it is held.
   */
  public static OpenOutcome open(IdleOptions options, InetAddress source) {
    Socket socket = new Socket();
    try {
      // Small kernel buffers: 10,000 idle sessions should cost the machine little on either side.
      socket.setReceiveBufferSize(4096);
      socket.setSendBufferSize(4096);
      socket.setTcpNoDelay(true);
      if (source != null) {
        socket.bind(new InetSocketAddress(source, 0));
      }
      int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis());
      try {
        socket.connect(new InetSocketAddress(options.host(), options.port()), timeoutMillis);
      } catch (ConnectException e) {
        socket.close();
        return new OpenOutcome.Failed("connect", e.getMessage());
      }
      socket.setSoTimeout(timeoutMillis);
      ReplyReader replies = new ReplyReader(socket.getInputStream());
      int greeting = replies.readCode();
      if (greeting != 220) {
        socket.close();
        return new OpenOutcome.Failed(Integer.toString(greeting), "greeting");
      }
      OutputStream out = socket.getOutputStream();
      out.write(("EHLO " + options.helo() + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      int ehlo = replies.readCode();
      if (ehlo != 250) {
        socket.close();
        return new OpenOutcome.Failed(Integer.toString(ehlo), "EHLO");
      }
      socket.setSoTimeout(0);
      return new OpenOutcome.Opened(new IdleConnection(socket));
    } catch (SocketTimeoutException e) {
      closeQuietly(socket);
      return new OpenOutcome.Failed("timeout", e.getMessage());
    } catch (ProtocolViolation e) {
      closeQuietly(socket);
      return new OpenOutcome.Failed("protocol", e.getMessage());
    } catch (IOException e) {
      closeQuietly(socket);
      return new OpenOutcome.Failed("io", e.toString());
    }
  }

  /**
   * Blocks until the server closes the session or sends something (an idle server has nothing to
   * say but a 421 before it hangs up, RFC 5321 section 4.5.3.2), or until {@link #close()} is
   * called. Returns true if the server ended the session, false if this side closed it.
   */
  public boolean awaitServerClose() {
    try {
      // Whatever arrives (a 421, an EOF) means the server is done with this session.
      socket.getInputStream().read();
      return !socket.isClosed();
    } catch (IOException e) {
      return !socket.isClosed();
    }
  }

  /** Sends QUIT without waiting for the reply and closes the socket. */
  @Override
  public void close() {
    if (socket.isClosed()) {
      return;
    }
    try {
      // A bounded write: the send buffer of an idle session is empty, so this never blocks long.
      socket.getOutputStream().write(QUIT);
    } catch (IOException e) {
      // The server already went away; closing is all that is left to do.
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing to recover: the socket is being discarded.
    }
  }

  /** A reply that is not SMTP: a line too long, no code, or too many lines. */
  private static final class ProtocolViolation extends IOException {
    ProtocolViolation(String message) {
      super(message);
    }
  }

  /** Reads SMTP replies (RFC 5321 section 4.2) through a small buffer used only while opening. */
  private static final class ReplyReader {
    private final InputStream in;
    private final byte[] buffer = new byte[512];
    private int position;
    private int limit;

    ReplyReader(InputStream in) {
      this.in = in;
    }

    /** Reads one possibly multi-line reply and returns its code. */
    int readCode() throws IOException {
      for (int lines = 0; lines < MAX_REPLY_LINES; lines++) {
        String line = readLine();
        if (line.length() < 3 || !isDigits(line.substring(0, 3))) {
          throw new ProtocolViolation("not a reply line: '" + line + "'");
        }
        int code = Integer.parseInt(line.substring(0, 3));
        // "250-..." continues the reply; "250 ..." or a bare "250" ends it.
        if (line.length() == 3 || line.charAt(3) != '-') {
          return code;
        }
      }
      throw new ProtocolViolation("reply longer than " + MAX_REPLY_LINES + " lines");
    }

    private String readLine() throws IOException {
      StringBuilder line = new StringBuilder(64);
      while (line.length() <= MAX_REPLY_LINE) {
        if (position == limit) {
          limit = in.read(buffer);
          position = 0;
          if (limit < 0) {
            limit = 0;
            throw new ProtocolViolation("connection closed by the server");
          }
        }
        char c = (char) (buffer[position++] & 0xff);
        if (c == '\n') {
          int end = line.length();
          return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
        }
        line.append(c);
      }
      throw new ProtocolViolation("reply line longer than " + MAX_REPLY_LINE + " octets");
    }

    private static boolean isDigits(String text) {
      return text.chars().allMatch(c -> c >= '0' && c <= '9');
    }
  }
}
