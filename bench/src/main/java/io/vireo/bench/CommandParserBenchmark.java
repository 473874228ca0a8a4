package io.vireo.bench;

import io.vireo.relay.protocol.ParseResult;
import io.vireo.relay.protocol.SmtpCommandParser;
import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Measures {@link SmtpCommandParser}, the step every command line of the accept path goes through:
 * bytes of one line (without CRLF) to a typed command with its addresses and ESMTP parameters
 * checked. Each benchmark parses one typical line as a client library or an upstream MTA writes it;
 * {@code transaction} parses the lines of a whole three-recipient transaction (EHLO, MAIL, three
 * RCPT, DATA), which is the per-message parsing cost. Results go to {@code bench/README.md}, not
 * here.
 *
 * <p>Run (from the repository root; any JDK 25 {@code java} will do):
 *
 * <pre>
 * ./mvnw -q -B -pl bench -am package -DskipTests
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp 'bench/target/vireo-bench.jar:bench/target/lib/*' \
 *     org.openjdk.jmh.Main CommandParserBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CommandParserBenchmark {
  private final byte[] ehlo = ascii("EHLO app-server-07.internal.example.com");
  private final byte[] mailFrom =
      ascii(
          "MAIL FROM:<bounces+4711-alice=example.org@mailer.example.com> SIZE=48213 BODY=8BITMIME");
  private final byte[] rcptTo = ascii("RCPT TO:<alice.smith@example.org>");
  private final byte[] rcptToWithDsn =
      ascii("RCPT TO:<bob@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@example.net");
  private final byte[] rcptToQuoted = ascii("RCPT TO:<\"john q. public\"@example.com>");
  private final byte[] data = ascii("DATA");
  private final byte[][] transaction = {
    ehlo, mailFrom, rcptTo, rcptToWithDsn, ascii("RCPT TO:<carol+news@mail.example.co.uk>"), data
  };

  private static byte[] ascii(String line) {
    return line.getBytes(StandardCharsets.US_ASCII);
  }

  @Benchmark
  public ParseResult ehlo() {
    return SmtpCommandParser.parse(ehlo);
  }

  @Benchmark
  public ParseResult mailFromWithSizeAndBody() {
    return SmtpCommandParser.parse(mailFrom);
  }

  @Benchmark
  public ParseResult rcptTo() {
    return SmtpCommandParser.parse(rcptTo);
  }

  @Benchmark
  public ParseResult rcptToWithDsn() {
    return SmtpCommandParser.parse(rcptToWithDsn);
  }

  @Benchmark
  public ParseResult rcptToQuotedLocalPart() {
    return SmtpCommandParser.parse(rcptToQuoted);
  }

  @Benchmark
  public void transaction(Blackhole blackhole) {
    for (byte[] line : transaction) {
      blackhole.consume(SmtpCommandParser.parse(line));
    }
  }
}
