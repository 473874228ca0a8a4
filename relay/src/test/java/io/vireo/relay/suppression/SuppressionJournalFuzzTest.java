package io.vireo.relay.suppression;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the suppression journal's line reader ({@link SuppressionJournal#parse}), which reads a
 * file an operator may have edited: any text gives an entry or an {@link
 * IllegalArgumentException}; an entry read is written back as one line that reads to the same
 * entry, with a normalized (lower-case, unbracketed) address. Seeds: {@code
 * SuppressionJournalFuzzTestInputs/line}.
 */
class SuppressionJournalFuzzTest {
  @FuzzTest(maxDuration = "2m")
  void line(byte[] input) {
    String line = new String(input, StandardCharsets.UTF_8);
    SuppressionJournal.Entry entry;
    try {
      entry = SuppressionJournal.parse(line);
    } catch (IllegalArgumentException e) {
      return;
    }
    byte[] written =
        switch (entry) {
          case SuppressionJournal.Entry.Add(Suppression s) -> SuppressionJournal.add(s);
          case SuppressionJournal.Entry.Remove(String address, java.time.Instant time) ->
              SuppressionJournal.remove(address, time);
        };
    String text = new String(written, StandardCharsets.UTF_8);
    assertThat(text.indexOf('\n')).isEqualTo(text.length() - 1);
    SuppressionJournal.Entry again = SuppressionJournal.parse(text.substring(0, text.length() - 1));
    assertThat(again).isEqualTo(entry);
    String address =
        switch (again) {
          case SuppressionJournal.Entry.Add(Suppression s) -> s.address();
          case SuppressionJournal.Entry.Remove(String a, java.time.Instant time) -> a;
        };
    assertThat(Suppression.normalize(address)).isEqualTo(address);
  }
}
