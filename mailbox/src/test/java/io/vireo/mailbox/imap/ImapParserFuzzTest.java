package io.vireo.mailbox.imap;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * Fuzzes the IMAP command parser and the command reader. Whatever a client sends, the reader ends
 * in a command, a refusal or the end of the stream, and the parser in {@link ParsedCommand.Ok},
 * {@link ParsedCommand.Bad} or {@link ParsedCommand.BadCharset}, never an exception; a BAD always
 * has a tag to answer with. Seeds: {@code ImapParserFuzzTestInputs/anyCommand}.
 */
class ImapParserFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void anyCommand(FuzzedDataProvider data) throws IOException {
    int maxLine = data.consumeInt(1024, 4096);
    byte[] bytes = data.consumeRemainingAsBytes();
    ImapInput input = new ImapInput(new ByteArrayInputStream(bytes), maxLine, 4096);
    // Each command consumes at least one octet, so this bounds the loop.
    for (int i = 0; i <= bytes.length; i++) {
      ImapInput.Read read;
      try {
        read = input.command(() -> {});
      } catch (EOFException end) {
        return;
      } catch (IOException tooLarge) {
        assertThat(tooLarge).hasMessageContaining("non-synchronising literal");
        return;
      }
      switch (read) {
        case ImapInput.Read.Refused refused -> assertThat(refused.tag()).isNotEmpty();
        case ImapInput.Read.Command command -> {
          ParsedCommand parsed = ImapParser.parse(command.bytes());
          switch (parsed) {
            case ParsedCommand.Ok ok -> assertThat(ok.command()).isNotNull();
            case ParsedCommand.Bad bad -> assertThat(bad.tag()).isNotEmpty();
            case ParsedCommand.BadCharset bad -> assertThat(bad.tag()).isNotEmpty();
          }
        }
      }
    }
    throw new AssertionError("more commands than octets");
  }
}
