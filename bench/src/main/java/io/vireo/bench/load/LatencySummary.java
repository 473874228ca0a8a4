package io.vireo.bench.load;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of one latency distribution, in microseconds.
 *
 * @param count number of recorded values (0 means no percentile is meaningful)
 */
public record LatencySummary(
    long count, long p50, long p90, long p99, long p999, long max, double mean) {

  static LatencySummary of(Histogram micros) {
    if (micros.getTotalCount() == 0) {
      return new LatencySummary(0, 0, 0, 0, 0, 0, 0);
    }
    return new LatencySummary(
        micros.getTotalCount(),
        micros.getValueAtPercentile(50),
        micros.getValueAtPercentile(90),
        micros.getValueAtPercentile(99),
        micros.getValueAtPercentile(99.9),
        micros.getMaxValue(),
        micros.getMean());
  }
}
