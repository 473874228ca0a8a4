package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.mailbox.testing.ExternalTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A {@code /metrics} page as parsed by an independent parser: the Python Prometheus client's text
 * parser (Debian's {@code python3-prometheus-client}, run with Debian's own {@code
 * /usr/bin/python3}). A page it cannot parse fails the test.
 *
 * @param types each metric family's type, by family name as the parser reports it
 * @param samples each sample's value, keyed {@code name{label=value,...}} with sorted labels
 */
record PrometheusText(Map<String, String> types, Map<String, Double> samples) {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final String SCRIPT =
      """
      import sys
      from prometheus_client.parser import text_string_to_metric_families
      for family in text_string_to_metric_families(sys.stdin.read()):
          print("TYPE\\t%s\\t%s" % (family.name, family.type))
          for s in family.samples:
              labels = ",".join("%s=%s" % kv for kv in sorted(s.labels.items()))
              print("SAMPLE\\t%s{%s}\\t%r" % (s.name, labels, s.value))
      """;

  static PrometheusText parse(String page) throws IOException, InterruptedException {
    ExternalTool.requireThat(
        Files.isExecutable(PYTHON)
            && ProcessRunner.run(
                        List.of(PYTHON.toString(), "-c", "import prometheus_client"),
                        Duration.ofSeconds(30))
                    .exitCode()
                == 0,
        "the Prometheus text parser is missing; install it with: apt-get install"
            + " python3-prometheus-client");
    Path script = Files.createTempFile("parse-metrics", ".py");
    Path input = Files.createTempFile("metrics", ".txt");
    try {
      Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
      Files.writeString(input, page, StandardCharsets.UTF_8);
      ProcessRunner.Result result =
          ProcessRunner.run(
              List.of(
                  "/bin/sh",
                  "-c",
                  "exec \"$0\" \"$1\" < \"$2\"",
                  PYTHON.toString(),
                  script.toString(),
                  input.toString()),
              Duration.ofSeconds(30));
      assertThat(result.exitCode()).as("parser output:\n%s", result.output()).isZero();
      Map<String, String> types = new TreeMap<>();
      Map<String, Double> samples = new LinkedHashMap<>();
      for (String line : result.output().split("\n")) {
        String[] fields = line.split("\t");
        if (fields[0].equals("TYPE")) {
          types.put(fields[1], fields[2]);
        } else if (fields[0].equals("SAMPLE")) {
          samples.put(fields[1], Double.parseDouble(fields[2]));
        }
      }
      return new PrometheusText(types, samples);
    } finally {
      Files.deleteIfExists(script);
      Files.deleteIfExists(input);
    }
  }

  /** The value of {@code name{labels}} ({@code labels} as {@code k=v,...}, sorted), 0 if absent. */
  double value(String name, String labels) {
    return samples.getOrDefault(name + "{" + labels + "}", 0.0);
  }

  double value(String name) {
    return value(name, "");
  }

  /** The sample keys starting with {@code prefix}, for failure messages and label checks. */
  List<String> keysStartingWith(String prefix) {
    return samples.keySet().stream().filter(k -> k.startsWith(prefix)).sorted().toList();
  }

  @Override
  public String toString() {
    return samples.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining("\n"));
  }
}
