package io.vireo.relay.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {
  @TempDir Path dir;

  @Test
  // The bench found it: 50 clients at once on a fresh relay, one got 401 because its lookup ran
  // while another thread was reading the file for the first time.
  void everyLookupRightAfterStartFindsTheKey() throws Exception {
    Path file = dir.resolve("api.keys");
    String secret = new ApiKeys(file).create("app", List.of("example.com"), Optional.empty());
    ApiKeys keys = new ApiKeys(file);
    keys.load();

    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger found = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      start.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    if (keys.find(secret).map(ApiKey::name).equals(Optional.of("app"))) {
                      found.incrementAndGet();
                    }
                  }));
    }
    start.countDown();
    for (Thread thread : threads) {
      assertThat(thread.join(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(found).hasValue(50);
    assertThat(keys.find("vireo_not-a-key")).isEmpty();
  }

  @Test
  void keysCreatedAndRemovedWhileRunningTakeEffectWithinSeconds() throws Exception {
    Path file = dir.resolve("api.keys");
    ApiKeys running = new ApiKeys(file);
    running.load();
    ApiKeys command = new ApiKeys(file);
    String secret = command.create("late", List.of(), Optional.empty());
    awaitFound(running, secret, true);
    assertThat(command.remove("late")).isTrue();
    awaitFound(running, secret, false);
  }

  @Test
  void aMalformedFileStopsTheStartNamingTheFile() throws Exception {
    Path file = dir.resolve("api.keys");
    Files.writeString(file, "app\tnot-enough-fields\n");
    assertThatThrownBy(() -> new ApiKeys(file).load())
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("4 tab-separated fields");
  }

  /** The running keys reread a changed file at most once a second: polls until then, 10 s at most. */
  private static void awaitFound(ApiKeys keys, String secret, boolean expected) throws Exception {
    Instant deadline = Instant.now().plusSeconds(10);
    while (keys.find(secret).isPresent() != expected) {
      assertThat(Instant.now()).as("key %s within 10 s", expected ? "found" : "gone").isBefore(deadline);
      Thread.sleep(50);
    }
  }
}
