package io.vireo.bench;

import io.vireo.bench.api.ApiLoadCommand;
import io.vireo.relay.compose.Composed;
import io.vireo.relay.compose.Draft;
import io.vireo.relay.compose.MessageComposer;
import jakarta.mail.util.StreamProvider;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures {@link MessageComposer}, the HTTP API's {@code POST /v1/messages} step that turns JSON
 * fields into MIME with Jakarta Mail (Angus): {@code typical} composes a message with a non-ASCII
 * subject and name, text and HTML, and a 20 KB attachment. Jakarta Mail 2.1 calls {@code
 * StreamProvider.provider()} for every body part it writes and every encoder it makes (about 17
 * times for {@code typical}); without a provider named in the {@code jakarta.mail.util.StreamProvider}
 * system property each call is a fresh {@code ServiceLoader} search of the class path ({@code
 * providerSearch}), with one named it loads the class by name ({@code providerByName}). The composer
 * names the one its session found, once, in its constructor; these two show what that saves per
 * call. Results go to {@code bench/README.md}.
 *
 * <p>Run (from the repository root):
 *
 * <pre>
 * bin/bench jmh MessageComposerBenchmark -wi 3 -i 5 -w 2s -r 2s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MessageComposerBenchmark {
  private final MessageComposer composer = new MessageComposer("relay.example", Clock.systemUTC());
  private final Draft draft = typicalDraft();
  private final Draft longLine = textDraft("x".repeat(3900));
  private final Draft shortLines = textDraft(ApiLoadCommand.fillerLines(3900, "\n"));

  /** A text-only message as {@code bin/bench api} posts it: one recipient, an ASCII subject. */
  static Draft textDraft(String text) {
    return new Draft(
        "load@bench.local",
        List.of("user@example.net"),
        List.of(),
        List.of(),
        Optional.empty(),
        "load",
        Optional.of(text),
        Optional.empty(),
        List.of(),
        Map.of());
  }


  static Draft typicalDraft() {
    byte[] pdf = new byte[20 * 1024];
    for (int i = 0; i < pdf.length; i++) {
      pdf[i] = (byte) (i * 31);
    }
    return new Draft(
        "Jürgen Müller <orders@shop.example.com>",
        List.of("Zoë <zoe@example.net>"),
        List.of("carol@example.org"),
        List.of(),
        Optional.of("help@example.com"),
        "Ihre Bestellung – 注文 4711",
        Optional.of("Hallo Zoë,\nthanks for your order 4711.\n".repeat(20)),
        Optional.of("<p>Hallo <b>Zoë</b>, thanks for your order.</p>\n".repeat(20)),
        List.of(new Draft.Attachment("Rechnung März.pdf", "application/pdf", pdf)),
        Map.of("X-Order", "4711"));
  }

  @Benchmark
  public Composed typical() {
    return composer.compose(draft);
  }

  /**
   * 3.9 KB of ASCII on one line: longer than RFC 5322's 998, so the text goes quoted-printable,
   * which Angus encodes an octet at a time.
   */
  @Benchmark
  public Composed longLineText() {
    return composer.compose(longLine);
  }

  /** The same amount of text in 76-character lines: 7bit, written as it is. */
  @Benchmark
  public Composed shortLinesText() {
    return composer.compose(shortLines);
  }

  /** What each lookup cost before the composer named the provider. */
  @Benchmark
  public Optional<StreamProvider> providerSearch() {
    return ServiceLoader.load(StreamProvider.class).findFirst();
  }

  /** What it costs now (the composer, built with this state, has named it). */
  @Benchmark
  public StreamProvider providerByName() {
    return StreamProvider.provider();
  }

  /** A check that the draft composes, for {@code main} runs outside JMH. */
  public static void main(String[] args) {
    Composed composed = new MessageComposer("relay.example", Clock.systemUTC()).compose(typicalDraft());
    System.out.println(new String(composed.message(), StandardCharsets.ISO_8859_1).length() + " bytes");
  }
}
