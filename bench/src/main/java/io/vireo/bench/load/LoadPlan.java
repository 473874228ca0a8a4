package io.vireo.bench.load;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * Everything the workers of one run share, rendered before the first message: the server address,
 * the command bytes, the message templates. Immutable, so workers read it without coordination.
 */
final class LoadPlan {
  private static final int OUTPUT_BUFFER = 64 * 1024;

  final LoadOptions options;
  final InetSocketAddress address;
  final LongSupplier nanoTicker;
  final byte[] ehlo;
  final byte[] helo;
  final byte[] mail;
  final byte[][] rcpts;
  final byte[] data;
  final byte[] rset;
  final byte[] quit;
  final byte[] starttls;
  /** The TLS client shared by every connection, or null when the run is plaintext. */
  final BenchTls tls;
  /** MAIL, every RCPT and DATA in one batch, for servers that offer PIPELINING (RFC 2920 section 3.1). */
  final byte[] pipelinedEnvelope;
  /** A lone terminating dot: what RFC 2920 section 3.1 says to send if DATA got 354 but no RCPT succeeded. */
  final byte[] emptyContent;

  private final MessageTemplate regular;
  private final MessageTemplate mixed;

  private LoadPlan(
      LoadOptions options,
      InetSocketAddress address,
      LongSupplier nanoTicker,
      MessageTemplate regular,
      MessageTemplate mixed) {
    this.options = options;
    this.address = address;
    this.nanoTicker = nanoTicker;
    this.regular = regular;
    this.mixed = mixed;
    this.ehlo = command("EHLO " + options.helo());
    this.helo = command("HELO " + options.helo());
    this.mail = command("MAIL FROM:<" + options.from() + ">");
    this.rcpts = new byte[options.recipients()][];
    for (int i = 0; i < rcpts.length; i++) {
      rcpts[i] = command("RCPT TO:<" + options.recipient(i + 1) + ">");
    }
    this.data = command("DATA");
    this.rset = command("RSET");
    this.quit = command("QUIT");
    this.starttls = command("STARTTLS");
    this.tls = options.starttls() ? BenchTls.trustingAnyCertificate() : null;
    this.emptyContent = command(".");
    ByteArrayOutputStream envelope = new ByteArrayOutputStream();
    envelope.writeBytes(mail);
    for (byte[] rcpt : rcpts) {
      envelope.writeBytes(rcpt);
    }
    envelope.writeBytes(data);
    this.pipelinedEnvelope = envelope.toByteArray();
  }

  /**
   * Renders the plan.
   *
   * @param runId token making this run's Message-IDs unique
   * @param date RFC 5322 date for the messages' Date header
   */
  static LoadPlan create(LoadOptions options, String runId, String date, LongSupplier nanoTicker) {
    long maxSequence = options.warmup() + options.messages();
    String firstRecipient = options.recipient(1);
    MessageTemplate regular =
        MessageTemplate.create(options.size(), options.from(), firstRecipient, runId, maxSequence, date);
    MessageTemplate mixed =
        options
            .mix()
            .map(
                mix ->
                    MessageTemplate.create(
                        mix.size(), options.from(), firstRecipient, runId, maxSequence, date))
            .orElse(null);
    InetSocketAddress address = new InetSocketAddress(options.host(), options.port());
    return new LoadPlan(options, address, nanoTicker, regular, mixed);
  }

  /** The template for message {@code sequence} (1-based over the whole run, warm-up included). */
  MessageTemplate templateFor(long sequence) {
    return mixed != null && options.mix().orElseThrow().appliesTo(sequence - 1) ? mixed : regular;
  }

  /** A scratch buffer fitting the per-message headers of every template. */
  byte[] newScratch() {
    byte[] scratch = regular.newScratch();
    return mixed == null || mixed.newScratch().length <= scratch.length ? scratch : mixed.newScratch();
  }

  int outputBuffer() {
    return OUTPUT_BUFFER;
  }

  private static byte[] command(String text) {
    return (text + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }
}
