package io.vireo.relay.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The vireo CLI in a child JVM, on the test's own class path and JVM flags: a relay that can be killed
 * with SIGKILL, or a one-shot command such as {@code queue list}.
 */
final class RelayProcess implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("vireo ready: smtp=([0-9.]+):(\\d+)");
  private static final Pattern ADMIN = Pattern.compile("vireo ready: .* admin=([0-9.]+):(\\d+)");
  private static final Pattern HTTP = Pattern.compile("vireo ready: .* http=([0-9.]+):(\\d+)");

  private final Process process;
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final CompletableFuture<InetSocketAddress> admin = new CompletableFuture<>();
  private final CompletableFuture<InetSocketAddress> http = new CompletableFuture<>();
  private final ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();

  private RelayProcess(Process process) {
    this.process = process;
    Thread.ofVirtual().name("relay-output").start(this::drainOutput);
  }

  static RelayProcess serve(Path configFile) throws IOException {
    return serve(configFile, List.of());
  }

  /** As {@link #serve(Path)}, with {@code jvmFlags} after the test JVM's own (so they win). */
  static RelayProcess serve(Path configFile, List<String> jvmFlags) throws IOException {
    return new RelayProcess(
        new ProcessBuilder(command(jvmFlags, "serve", "--config", configFile.toString()))
            .redirectErrorStream(true)
            .start());
  }

  /** Runs a one-shot CLI command and returns its exit code and output. */
  static ProcessRunner.Result run(Duration timeout, String... args)
      throws IOException, InterruptedException {
    return ProcessRunner.run(command(args), timeout);
  }

  /** Runs a one-shot CLI command, keeping its standard output and standard error apart. */
  static ProcessRunner.Split runSplit(Duration timeout, String... args)
      throws IOException, InterruptedException {
    return ProcessRunner.runSplit(command(args), timeout);
  }

  /** As {@link #run(Duration, String...)}, with {@code input} as the command's standard input. */
  static ProcessRunner.Result run(Duration timeout, Path input, String... args)
      throws IOException, InterruptedException {
    return ProcessRunner.run(command(args), timeout, input);
  }

  private static List<String> command(String... args) {
    return command(List.of(), args);
  }

  private static List<String> command(List<String> jvmFlags, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    // The JVM flags of bin/jvm.flags (Chronicle's, the HTTP server's limits), exactly as surefire
    // gave them to this test JVM.
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (flag.startsWith("--add-") || flag.startsWith("--enable-native-access")
          || flag.startsWith("--sun-misc") || flag.startsWith("-Dchronicle")
          || flag.startsWith("-Dsun.net.httpserver.")) {
        command.add(flag);
      }
    }
    command.addAll(jvmFlags);
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(VireoCommand.class.getName());
    command.addAll(List.of(args));
    return command;
  }

  private void drainOutput() {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        output.add(line);
        Matcher matcher = READY.matcher(line);
        Matcher adminMatcher = ADMIN.matcher(line);
        Matcher httpMatcher = HTTP.matcher(line);
        if (httpMatcher.find()) {
          http.complete(
              new InetSocketAddress(httpMatcher.group(1), Integer.parseInt(httpMatcher.group(2))));
        }
        if (adminMatcher.find()) {
          admin.complete(
              new InetSocketAddress(
                  adminMatcher.group(1), Integer.parseInt(adminMatcher.group(2))));
        }
        if (matcher.find()) {
          port.complete(Integer.parseInt(matcher.group(2)));
        }
      }
    } catch (IOException e) {
      // The process was killed: nothing more to read.
    } finally {
      port.completeExceptionally(new IOException("relay exited before it was ready:\n" + log()));
      admin.completeExceptionally(new IOException("relay exited before it was ready:\n" + log()));
      http.completeExceptionally(new IOException("relay exited before it was ready:\n" + log()));
    }
  }

  /** Waits for the "vireo ready" line and returns the SMTP port it names. */
  int awaitReady(Duration timeout) throws Exception {
    try {
      return port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new TimeoutException("relay not ready within " + timeout + ":\n" + log());
    }
  }

  /** The admin server's address from the "vireo ready" line; call after {@link #awaitReady}. */
  InetSocketAddress adminAddress() throws Exception {
    return admin.get(1, TimeUnit.SECONDS);
  }

  /** The send API's address from the "vireo ready" line; call after {@link #awaitReady}. */
  InetSocketAddress httpAddress() throws Exception {
    return http.get(1, TimeUnit.SECONDS);
  }

  String log() {
    return String.join("\n", output);
  }

  /** Waits until a line of the relay's output contains {@code text}; fails after {@code timeout}. */
  void awaitLog(String text, Duration timeout) {
    io.vireo.relay.testing.Await.until(
        "relay output containing '" + text + "'",
        timeout,
        () -> output.stream().anyMatch(line -> line.contains(text)));
  }

  /** How many lines of the output contain {@code text}. */
  long countLog(String text) {
    return output.stream().filter(line -> line.contains(text)).count();
  }

  /** Sends a signal ({@code "HUP"}, {@code "TERM"}) with kill(1). */
  void signal(String name) throws IOException, InterruptedException {
    ProcessRunner.Result result =
        ProcessRunner.run(
            List.of("kill", "-" + name, Long.toString(process.pid())), Duration.ofSeconds(10));
    if (result.exitCode() != 0) {
      throw new IOException("kill -" + name + " failed: " + result.output());
    }
  }

  /** Waits for the process to end and returns its exit code. */
  int awaitExit(Duration timeout) throws InterruptedException, TimeoutException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new TimeoutException("relay still running after " + timeout + ":\n" + log());
    }
    return process.exitValue();
  }

  /**
   * SIGTERM, as systemd or Kubernetes stops a node, then waits for the exit. Sent through the
   * process handle: {@link Process#destroy()} would also close the output pipe, losing the log
   * lines of the shutdown itself.
   */
  void terminate(Duration timeout) throws InterruptedException, TimeoutException {
    process.toHandle().destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new TimeoutException("relay did not exit within " + timeout + " of SIGTERM");
    }
  }

  /** SIGKILL: no shutdown hook, no flush, like a power cut for the process. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
