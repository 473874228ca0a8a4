package io.vireo.bench.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A raw-socket SMTP client for dialogue tests: write exact bytes, read and check whole replies. */
final class SmtpDialogue implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final BufferedReader in;

  SmtpDialogue(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5_000);
    out = socket.getOutputStream();
    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
  }

  /** Sends {@code text} as is (the caller writes the CRLFs). */
  SmtpDialogue sendRaw(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return this;
  }

  /** Sends one command line. */
  SmtpDialogue send(String line) throws IOException {
    return sendRaw(line + "\r\n");
  }

  /** Reads one (possibly multiline) reply, checks its code and returns its lines. */
  List<String> expect(int code) throws IOException {
    List<String> lines = new ArrayList<>();
    while (true) {
      String line = in.readLine();
      assertThat(line).as("reply line (so far %s)", lines).isNotNull();
      lines.add(line);
      if (line.length() < 4 || line.charAt(3) != '-') {
        break;
      }
    }
    assertThat(lines).allSatisfy(line -> assertThat(line).startsWith(Integer.toString(code)));
    return lines;
  }

  /** True once the server has closed the connection. */
  boolean closedByServer() throws IOException {
    return in.read() == -1;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
