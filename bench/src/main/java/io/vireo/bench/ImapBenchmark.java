package io.vireo.bench;

import io.vireo.mailbox.access.AccessChannel;
import io.vireo.mailbox.access.Login;
import io.vireo.mailbox.imap.ImapParser;
import io.vireo.mailbox.imap.ImapSession;
import io.vireo.mailbox.imap.ImapSettings;
import io.vireo.mailbox.imap.ParsedCommand;
import io.vireo.mailbox.store.MailStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures the IMAP server's two hot paths: parsing a command ({@code parse*}: bytes of one
 * command to a typed record) and serving a FETCH over a folder ({@code fetch*}: one whole session,
 * LOGIN, SELECT, one FETCH over all {@value #MESSAGES} messages of a Maildir on disk, LOGOUT,
 * through an in-memory channel, so the figure is per FETCH of the folder: parsing, reading files
 * from the page cache, mime4j where the items need it, rendering). Results go to {@code
 * bench/README.md}.
 *
 * <p>Run: {@code bin/bench jmh ImapBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ImapBenchmark {
  static final int MESSAGES = 1000;

  private static final byte[] FETCH_LINE =
      ascii("a7 UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO SUBJECT DATE)])");
  private static final byte[] SEARCH_LINE =
      ascii("a8 UID SEARCH OR (FROM \"alice@example.com\" SINCE 1-Dec-2026) NOT (DELETED OR SEEN LARGER 10000)");
  private static final byte[] APPEND_LINE =
      ascii("a9 APPEND INBOX (\\Seen) \" 2-Dec-2026 10:00:00 +0000\" {23+}\r\nSubject: x\r\n\r\nhello\r\n");

  private Path root;
  private MailStore store;
  private ImapSettings settings;
  private ImapSession session;

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Setup(Level.Trial)
  public void fillMaildir() throws IOException {
    root = Files.createTempDirectory("vireo-imap-bench");
    store = new MailStore(root, Clock.systemUTC(), "bench.example");
    for (int i = 0; i < MESSAGES; i++) {
      String message =
          "From: Alice <alice@example.com>\r\nTo: bob@example.net\r\nSubject: message " + i
              + "\r\nDate: Wed, 02 Dec 2026 10:00:00 +0000\r\nMessage-ID: <" + i + "@example.com>\r\n"
              + "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\n"
              + "Content-Type: text/plain\r\n\r\n" + "Some text of the message. ".repeat(40) + "\r\n--b\r\n"
              + "Content-Type: text/html\r\n\r\n<p>" + "Some text of the message. ".repeat(40) + "</p>\r\n--b--\r\n";
      store.deliver("bob", "INBOX", message.getBytes(StandardCharsets.US_ASCII), Set.of(), Instant.now());
    }
    settings =
        new ImapSettings("bench", false, 65536, 1 << 20, Duration.ofMinutes(30), Duration.ofMinutes(1), 10, Clock.systemUTC());
    session = new ImapSession(store, (user, password, client) -> new Login.Accepted(user), settings);
  }

  @TearDown(Level.Trial)
  public void removeMaildir() throws IOException {
    TempTrees.delete(root);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public ParsedCommand parseFetch() {
    return ImapParser.parse(FETCH_LINE);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public ParsedCommand parseSearch() {
    return ImapParser.parse(SEARCH_LINE);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public ParsedCommand parseAppend() {
    return ImapParser.parse(APPEND_LINE);
  }

  /**
   * FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE) with the process's FETCH cache warm (every
   * iteration after the first): the rendered envelopes are copied out.
   */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long fetchEnvelopes() throws Exception {
    return serve("a3 FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE)");
  }

  /**
   * The same FETCH through a new server object, so an empty FETCH cache: the header of every
   * message is read and parsed and its envelope rendered (a folder's first FETCH after start).
   */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long fetchEnvelopesColdCache() throws Exception {
    ImapSession fresh = new ImapSession(store, (user, password, client) -> new Login.Accepted(user), settings);
    return serve(fresh, "a3 FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE)");
  }

  /** SEARCH BODY with a US-ASCII string: every message's octets scanned, nothing decoded. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long searchBody() throws Exception {
    return serve("a3 SEARCH BODY \"message 999\"");
  }

  /** UID FETCH 1:* BODY.PEEK[]: every message streamed whole from its file. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long fetchBodies() throws Exception {
    return serve("a3 UID FETCH 1:* BODY.PEEK[]");
  }

  /** FETCH 1:* BODYSTRUCTURE: every message parsed by mime4j. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long fetchBodyStructures() throws Exception {
    return serve("a3 FETCH 1:* BODYSTRUCTURE");
  }

  /** FETCH 1:* (UID FLAGS): the snapshot only, no file is opened. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long fetchFlags() throws Exception {
    return serve("a3 FETCH 1:* (UID FLAGS)");
  }

  private long serve(String command) throws Exception {
    return serve(session, command);
  }

  private static long serve(ImapSession session, String command) throws Exception {
    byte[] script = ascii("a1 LOGIN bob x\r\na2 EXAMINE INBOX\r\n" + command + "\r\na4 LOGOUT\r\n");
    Counting out = new Counting();
    session.serve(new MemoryChannel(new ByteArrayInputStream(script), out));
    return out.count;
  }

  /** Counts the response octets (the benchmark's result, so nothing is optimised away). */
  private static final class Counting extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }

  /** A channel over memory: the commands as input, the responses counted. */
  private record MemoryChannel(InputStream input, OutputStream output) implements AccessChannel {
    @Override
    public InetAddress clientAddress() {
      return InetAddress.getLoopbackAddress();
    }

    @Override
    public boolean secure() {
      return true;
    }

    @Override
    public boolean tlsAvailable() {
      return false;
    }

    @Override
    public void startTls() {
      throw new UnsupportedOperationException("no TLS in memory");
    }

    @Override
    public void readTimeout(Duration timeout) {}

    @Override
    public boolean draining() {
      return false;
    }
  }
}
