package io.vireo.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class MessageIdGeneratorTest {
  @Test
  void idsAreUniqueUnderConcurrency() {
    MessageIdGenerator generator =
        new MessageIdGenerator(Clock.fixed(Instant.parse("2026-03-02T10:00:00Z"), ZoneOffset.UTC));
    Set<MessageId> ids = ConcurrentHashMap.newKeySet();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < 16; t++) {
        threads.submit(
            () -> {
              for (int i = 0; i < 10_000; i++) {
                ids.add(generator.next());
              }
            });
      }
    }
    assertThat(ids).hasSize(160_000);
  }

  @Test
  void idsSortByTimeThenByIssueOrder() {
    Instant start = Instant.parse("2026-03-02T10:00:00Z");
    List<MessageId> issued = new ArrayList<>();
    for (int ms = 0; ms < 50; ms++) {
      MessageIdGenerator generator =
          new MessageIdGenerator(Clock.fixed(start.plusMillis(ms * 7L), ZoneOffset.UTC));
      issued.add(generator.next());
    }
    assertThat(issued).isSorted();

    MessageIdGenerator one = new MessageIdGenerator(Clock.fixed(start, ZoneOffset.UTC));
    List<MessageId> sameMillisecond = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      sameMillisecond.add(one.next());
    }
    assertThat(sameMillisecond).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void idsHaveTheDocumentedForm() {
    MessageId id = new MessageIdGenerator(Clock.systemUTC()).next();
    assertThat(MessageId.isValid(id.value())).isTrue();
    assertThat(id.value()).hasSize(20).doesNotContain("I", "L", "O", "U");
    assertThat(new HashSet<>(List.of(id, new MessageId(id.value())))).hasSize(1);
  }
}
