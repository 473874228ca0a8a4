package io.vireo.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HistogramTest {
  @Test
  void countsEachValueInTheFirstBucketWhoseBoundHoldsIt() {
    Histogram histogram = new Histogram(10, 100, 1000);
    for (long value : new long[] {-5, 0, 10, 11, 100, 999, 1000, 1001, 50_000}) {
      histogram.record(value);
    }

    Histogram.Snapshot snapshot = histogram.snapshot();

    assertThat(snapshot.bounds()).containsExactly(10, 100, 1000);
    // <=10: -5 (as 0), 0, 10; <=100: 11, 100; <=1000: 999, 1000; above: 1001, 50000
    assertThat(snapshot.counts()).containsExactly(3, 2, 2, 2);
    assertThat(snapshot.count()).isEqualTo(9);
    assertThat(snapshot.sum()).isEqualTo(0 + 0 + 10 + 11 + 100 + 999 + 1000 + 1001 + 50_000);
  }

  @Test
  void boundsMustAscend() {
    assertThatThrownBy(() -> new Histogram(5, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Histogram()).isInstanceOf(IllegalArgumentException.class);
  }
}
