package io.vireo.relay.testing;

import io.vireo.mailbox.testing.ExternalTool;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private Postfix instance (Debian's {@code postfix} package) that receives mail over SMTP on a
 * loopback address, for interop tests: it is the final destination for the given domains and puts
 * every message it accepts into one Maildir, where {@link #awaitMessages} finds it by recipient.
 *
 * <p>The instance lives entirely in a directory of its own under the work directory (its own
 * configuration, queue, data directory, Maildir and log, {@code postfix -c DIR}); the system
 * Postfix is never touched. Mail for any other domain is refused ({@code 554 5.7.1 Relay access
 * denied}) and nothing ever leaves the instance: DNS is off and every outbound transport is an
 * error transport. Postfix starts its daemons only as root, which is how CI runs (see {@code
 * .ci/run}); {@link #start} fails the calling test in CI and skips it elsewhere when Postfix is
 * missing or the JVM is not root.
 *
 * <pre>{@code
 * @TempDir static Path work;
 * static PostfixReceiver postfix;
 *
 * @BeforeAll static void startPostfix() throws IOException {
 *   postfix = PostfixReceiver.start(work, "127.0.0.5", List.of("postfix.test"));
 * }
 *
 * @AfterAll static void stopPostfix() {
 *   if (postfix != null) postfix.close();
 * }
 * }</pre>
 *
 * <p>Instances are independent: each has its own directory and port, so test classes may each run
 * one at the same time, preferably on different loopback addresses.
 */
public final class PostfixReceiver implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PostfixReceiver.class);

  /** Postfix's unprivileged account; the Maildir is written with its uid. */
  private static final String MAIL_OWNER = "postfix";

  private static final long MESSAGE_SIZE_LIMIT = 64L << 20;
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(10);
  private static final int START_ATTEMPTS = 3;

  /** Postfix puts its daemons' paths into main.cf unquoted: keep them free of syntax characters. */
  private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9._/+-]+");

  private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");

  /** Postfix names Maildir files {@code seconds.VdeviceIinodeMmicroseconds.host}. */
  private static final Pattern MAILDIR_NAME =
      Pattern.compile("^(\\d+)\\.V[0-9a-f]+I[0-9a-f]+M(\\d+)\\.");

  /** The header fields Postfix puts in front of a message it delivers, in this order. */
  private static final List<String> PREPENDED_FIELDS =
      List.of("Return-Path:", "X-Original-To:", "Delivered-To:", "Received:");

  /** The queues a message passes through inside Postfix; {@code deferred} has subdirectories. */
  private static final List<String> QUEUES =
      List.of("maildrop", "incoming", "active", "deferred", "hold");

  /** Enough to hold the fields Postfix prepends, which is where Delivered-To is looked for. */
  private static final int HEADER_PREFIX_BYTES = 16 * 1024;

  private final Path postfix;
  private final Path root;
  private final Path configDirectory;
  private final Path maildir;
  private final Path logFile;
  private final InetSocketAddress address;
  private final ProcessHandle master;
  private final Map<String, String> deliveredToByFile = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  // A test run that is killed or aborted must not leave Postfix daemons holding ports behind.
  private final Thread shutdownHook =
      Thread.ofPlatform().name("postfix-stop").unstarted(this::close);

  private PostfixReceiver(
      Path postfix, Layout layout, InetSocketAddress address, ProcessHandle master) {
    this.postfix = postfix;
    this.root = layout.root();
    this.configDirectory = layout.config();
    this.maildir = layout.maildirBase().resolve("mail");
    this.logFile = layout.log();
    this.address = address;
    this.master = master;
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Whether a private instance can be started here: Postfix is installed and the JVM is root. */
  public static boolean available() {
    return ExternalTool.find("postfix").isPresent() && runningAsRoot();
  }

  /**
   * The {@code postfix} command; fails (CI) or skips (elsewhere) the calling test when Postfix is
   * not installed or the JVM is not root.
   */
  public static Path requireInstalled() {
    Path command = ExternalTool.require("postfix", "postfix");
    ExternalTool.requireThat(
        runningAsRoot(), "a private Postfix instance can only be started as root, as CI does");
    return command;
  }

  /**
   * Starts an instance in a new directory under {@code workDir}, listening on a free port of {@code
   * listenAddress}, and returns once it accepts connections.
   *
   * <p>Postfix's daemons run as user {@code postfix} and must reach the instance directory, so
   * {@code workDir} is made searchable (not readable) by others; the directories above it must be
   * searchable already, as {@code /tmp} and JUnit's temporary directories are.
   *
   * @param workDir where the instance directory is created; typically a JUnit {@code @TempDir}
   * @param listenAddress an IPv4 loopback address such as {@code 127.0.0.5}
   * @param domains the domains the instance accepts mail for; every address in them is valid
   * @throws IllegalStateException if Postfix does not start; the message carries its log
   */
  public static PostfixReceiver start(Path workDir, String listenAddress, List<String> domains)
      throws IOException {
    Objects.requireNonNull(workDir, "workDir");
    InetAddress ip = loopbackIpv4(listenAddress);
    List<String> acceptedDomains = validDomains(domains);
    Path command = requireInstalled();
    Layout layout = Layout.create(workDir);
    MailOwner owner = MailOwner.of(layout.maildirBase());
    Files.writeString(layout.config().resolve("main.cf"), mainCf(layout, acceptedDomains, owner));
    for (int attempt = 1; ; attempt++) {
      int port = freePort(ip);
      Files.writeString(layout.config().resolve("master.cf"), masterCf(ip, port));
      long logOffset = size(layout.log());
      CommandResult result = run(layout.root(), command, "-c", layout.config().toString(), "start");
      if (result.exitCode() == 0) {
        ProcessHandle master;
        try {
          master = readMaster(layout);
        } catch (IOException | RuntimeException e) {
          run(layout.root(), command, "-c", layout.config().toString(), "stop");
          throw e;
        }
        InetSocketAddress address = new InetSocketAddress(ip, port);
        log.info("Postfix {} started on {} for {}", layout.root(), address, acceptedDomains);
        return new PostfixReceiver(command, layout, address, master);
      }
      String attemptLog = readLog(layout.log(), logOffset);
      // Another process may take the port between freePort() and Postfix binding it.
      if (!attemptLog.contains("Address already in use") || attempt == START_ATTEMPTS) {
        throw new IllegalStateException(
            "postfix start failed with exit code "
                + result.exitCode()
                + " in "
                + layout.root()
                + "\n"
                + result.output()
                + attemptLog);
      }
      log.info("Port {} of {} was taken before Postfix bound it; trying another", port, ip);
    }
  }

  /** Where the instance accepts SMTP connections. */
  public InetSocketAddress address() {
    return address;
  }

  /** The instance's configuration directory, as passed to {@code postfix -c}. */
  public Path configDirectory() {
    return configDirectory;
  }

  /**
   * Waits until at least {@code count} messages have been delivered to {@code mailbox} and returns
   * them all, each as {@link #messages} does.
   *
   * @param mailbox the recipient address, as its {@code Delivered-To} header field shows it
   * @throws AssertionError if fewer arrive within {@code timeout}; the message carries the log
   */
  public List<byte[]> awaitMessages(String mailbox, int count, Duration timeout) {
    Objects.requireNonNull(mailbox, "mailbox");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Path> found = filesFor(mailbox);
      if (found.size() >= count) {
        return found.stream().map(PostfixReceiver::readMessage).toList();
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "expected "
                + count
                + " message(s) for "
                + mailbox
                + " within "
                + timeout
                + " but found "
                + found.size()
                + "; Postfix log:\n"
                + log());
      }
      LockSupport.parkNanos(POLL_INTERVAL.toNanos());
    }
  }

  /**
   * The messages delivered to {@code mailbox} so far, in delivery order, which need not be the
   * order they were sent in. Each is the Maildir file with its line ends turned back into CRLF
   * (Maildir files end lines with a bare LF), so it compares with what was sent after {@link
   * #contentAsSent}.
   */
  public List<byte[]> messages(String mailbox) {
    Objects.requireNonNull(mailbox, "mailbox");
    return filesFor(mailbox).stream().map(PostfixReceiver::readMessage).toList();
  }

  private List<Path> filesFor(String mailbox) {
    List<Path> files = new ArrayList<>();
    for (String folder : List.of("new", "cur")) {
      try (Stream<Path> listing = Files.list(maildir.resolve(folder))) {
        listing.forEach(files::add);
      } catch (NoSuchFileException e) {
        // Postfix creates the Maildir with the first delivery.
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    files.removeIf(file -> !mailbox.equalsIgnoreCase(deliveredTo(file)));
    files.sort(Comparator.comparing(PostfixReceiver::deliveryOrder));
    return files;
  }

  /**
   * The message as it was sent: a delivered message without the header fields Postfix put in front
   * of it ({@code Return-Path}, {@code X-Original-To}, {@code Delivered-To} and its own {@code
   * Received}).
   *
   * @throws IllegalArgumentException if the message does not start with those fields
   */
  public static byte[] contentAsSent(byte[] delivered) {
    int offset = 0;
    for (String field : PREPENDED_FIELDS) {
      if (startsWithIgnoreCase(delivered, offset, field)) {
        offset = endOfField(delivered, offset);
      } else if (!field.equals("X-Original-To:")) { // X-Original-To depends on the configuration
        throw new IllegalArgumentException(
            "delivered message does not start with Postfix's " + field + " field");
      }
    }
    return Arrays.copyOfRange(delivered, offset, delivered.length);
  }

  /**
   * The message without its first header field, which must be {@code name} (such as {@code
   * Received:}): for taking off a trace field that an earlier hop added in front of what was sent.
   *
   * @throws IllegalArgumentException if the message does not start with that field
   */
  public static byte[] withoutLeadingField(byte[] message, String name) {
    if (!startsWithIgnoreCase(message, 0, name)) {
      throw new IllegalArgumentException("message does not start with a " + name + " field");
    }
    return Arrays.copyOfRange(message, endOfField(message, 0), message.length);
  }

  /**
   * Waits until the instance's queue holds no message: everything it accepted has been delivered
   * (or refused), so the Maildir shows all it ever will.
   *
   * @throws AssertionError if messages are still queued after {@code timeout}
   */
  public void awaitQueueEmpty(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Path> queued = queuedFiles();
      if (queued.isEmpty()) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "Postfix still holds " + queued + " after " + timeout + "; its log:\n" + log());
      }
      LockSupport.parkNanos(POLL_INTERVAL.toNanos());
    }
  }

  /** The queue files of messages being received, waiting, being delivered or held. */
  private List<Path> queuedFiles() {
    List<Path> files = new ArrayList<>();
    // Postfix moves and removes queue files while this looks: a file gone by the time it is
    // visited is no longer queued there.
    FileVisitor<Path> collector =
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            if (attributes.isRegularFile()) {
              files.add(file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }
        };
    for (String queue : QUEUES) {
      try {
        Files.walkFileTree(root.resolve("queue").resolve(queue), collector);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  /** The instance's mail log ({@code maillog_file}), for failure messages. */
  public String log() {
    return readLog(logFile, 0);
  }

  /**
   * Stops the instance with {@code postfix stop}, waits a bounded time for its processes to exit,
   * then kills any that remain; only processes of this instance (its master and the master's
   * descendants) are touched. Safe to call more than once; a shutdown hook calls it if the JVM
   * exits first.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: this is the hook running.
    }
    List<ProcessHandle> processes = Stream.concat(Stream.of(master), master.descendants()).toList();
    try {
      CommandResult result = run(root, postfix, "-c", configDirectory.toString(), "stop");
      if (result.exitCode() != 0) {
        log.warn("postfix stop exited with {}: {}", result.exitCode(), result.output());
      }
    } catch (IOException | RuntimeException e) {
      log.warn("postfix stop failed for {}", root, e);
    }
    if (!awaitExit(processes, EXIT_TIMEOUT)) {
      List<ProcessHandle> leftovers =
          Stream.concat(processes.stream(), master.descendants())
              .filter(ProcessHandle::isAlive)
              .distinct()
              .toList();
      log.warn("Killing {} Postfix process(es) of {} left after stop", leftovers.size(), root);
      leftovers.forEach(ProcessHandle::destroyForcibly);
      if (!awaitExit(leftovers, EXIT_TIMEOUT)) {
        log.error("Postfix processes of {} survived SIGKILL: {}", root, leftovers);
      }
    }
    log.info("Postfix {} stopped", root);
  }

  /** The master process, for tests of the fixture itself. */
  ProcessHandle master() {
    return master;
  }

  private String deliveredTo(Path file) {
    return deliveredToByFile.computeIfAbsent(
        file.getFileName().toString(), name -> readDeliveredTo(file));
  }

  private static String readDeliveredTo(Path file) {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(HEADER_PREFIX_BYTES);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String text = new String(head, StandardCharsets.UTF_8);
    for (String line : text.split("\n")) {
      if (line.isEmpty()) {
        break;
      }
      if (line.regionMatches(true, 0, "Delivered-To:", 0, "Delivered-To:".length())) {
        return line.substring("Delivered-To:".length()).strip();
      }
    }
    return "";
  }

  private static DeliveryTime deliveryOrder(Path file) {
    String name = file.getFileName().toString();
    Matcher m = MAILDIR_NAME.matcher(name);
    if (m.find()) {
      return new DeliveryTime(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), name);
    }
    return new DeliveryTime(Long.MAX_VALUE, Long.MAX_VALUE, name);
  }

  /** When a Maildir file was delivered, from its name; the name breaks ties. */
  private record DeliveryTime(long seconds, long micros, String name)
      implements Comparable<DeliveryTime> {
    private static final Comparator<DeliveryTime> ORDER =
        Comparator.comparingLong(DeliveryTime::seconds)
            .thenComparingLong(DeliveryTime::micros)
            .thenComparing(DeliveryTime::name);

    @Override
    public int compareTo(DeliveryTime other) {
      return ORDER.compare(this, other);
    }
  }

  private static byte[] readMessage(Path file) {
    try {
      return crlf(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] crlf(byte[] lf) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(lf.length + lf.length / 32);
    for (byte b : lf) {
      if (b == '\n') {
        out.write('\r');
      }
      out.write(b);
    }
    return out.toByteArray();
  }

  private static boolean startsWithIgnoreCase(byte[] bytes, int offset, String prefix) {
    if (bytes.length - offset < prefix.length()) {
      return false;
    }
    String actual = new String(bytes, offset, prefix.length(), StandardCharsets.US_ASCII);
    return actual.equalsIgnoreCase(prefix);
  }

  /** The offset after the header field at {@code offset}, folded continuation lines included. */
  private static int endOfField(byte[] bytes, int offset) {
    int position = offset;
    while (true) {
      int lineEnd = indexOf(bytes, (byte) '\n', position);
      if (lineEnd < 0) {
        throw new IllegalArgumentException("header field runs to the end of the message");
      }
      position = lineEnd + 1;
      // RFC 5322 section 2.2.3: a line starting with white space continues the field.
      if (position >= bytes.length || (bytes[position] != ' ' && bytes[position] != '\t')) {
        return position;
      }
    }
  }

  private static int indexOf(byte[] bytes, byte wanted, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }

  private static boolean awaitExit(List<ProcessHandle> processes, Duration timeout) {
    CompletableFuture<?>[] exits =
        processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(exits).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for Postfix processes failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean runningAsRoot() {
    try {
      // /proc/self belongs to the process's effective user.
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private static InetAddress loopbackIpv4(String listenAddress) {
    Objects.requireNonNull(listenAddress, "listenAddress");
    InetAddress ip = InetAddress.ofLiteral(listenAddress);
    // The instance is configured with inet_protocols = ipv4; tests contact only loopback.
    if (!(ip instanceof Inet4Address) || !ip.isLoopbackAddress()) {
      throw new IllegalArgumentException("not an IPv4 loopback address: " + listenAddress);
    }
    return ip;
  }

  private static List<String> validDomains(List<String> domains) {
    List<String> copy = List.copyOf(domains);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("at least one domain is needed");
    }
    for (String domain : copy) {
      if (!DOMAIN.matcher(domain).matches()) {
        throw new IllegalArgumentException("not a plain domain name: " + domain);
      }
    }
    return copy;
  }

  private static int freePort(InetAddress ip) throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, ip)) {
      return probe.getLocalPort();
    }
  }

  private static ProcessHandle readMaster(Layout layout) throws IOException {
    String pid = Files.readString(layout.queue().resolve("pid/master.pid")).strip();
    return ProcessHandle.of(Long.parseLong(pid))
        .orElseThrow(() -> new IllegalStateException("Postfix master " + pid + " is not running"));
  }

  private static long size(Path file) throws IOException {
    return Files.exists(file) ? Files.size(file) : 0;
  }

  private static String readLog(Path file, long offset) {
    try (InputStream in = Files.newInputStream(file)) {
      in.skipNBytes(offset);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  /**
   * Runs a Postfix command with its output in a file: {@code postfix start} leaves the daemonized
   * master behind, which would hold a pipe open.
   */
  private static CommandResult run(Path root, Path command, String... args) throws IOException {
    List<String> line = new ArrayList<>();
    line.add(command.toString());
    line.addAll(List.of(args));
    Path output = Files.createTempFile(root, "command-", ".out");
    ProcessBuilder builder =
        new ProcessBuilder(line)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .redirectInput(new File("/dev/null"));
    builder.environment().remove("MAIL_CONFIG");
    Process process = builder.start();
    try {
      if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", line) + " did not finish within " + COMMAND_TIMEOUT);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(String.join(" ", line) + " was interrupted", e);
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);
    Files.delete(output);
    return new CommandResult(process.exitValue(), text);
  }

  private record CommandResult(int exitCode, String output) {}

  /** The instance's directories and files. */
  private record Layout(Path root) {
    static Layout create(Path workDir) throws IOException {
      Path work = workDir.toAbsolutePath();
      makeSearchable(work);
      Path root = Files.createTempDirectory(work, "postfix-");
      if (!SAFE_PATH.matcher(root.toString()).matches()) {
        throw new IllegalArgumentException(
            "Postfix cannot take this path in main.cf; use a plainer work directory: " + root);
      }
      Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
      Layout layout = new Layout(root);
      // postfix-script creates the queue's subdirectories and the data directory, but not these;
      // Postfix wants the configuration and queue directories owned by root (as they are here).
      for (Path dir : List.of(layout.config(), layout.queue())) {
        Files.createDirectory(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
      }
      Files.createDirectory(
          layout.maildirBase(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      return layout;
    }

    Path config() {
      return root.resolve("conf");
    }

    Path queue() {
      return root.resolve("queue");
    }

    Path data() {
      return root.resolve("data");
    }

    Path maildirBase() {
      return root.resolve("maildirs");
    }

    Path log() {
      return root.resolve("maillog");
    }

    /**
     * Postfix's daemons run as its mail owner and change into the queue directory, so every
     * directory on the way must be searchable by others.
     */
    private static void makeSearchable(Path work) throws IOException {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(work);
      if (permissions.add(PosixFilePermission.OTHERS_EXECUTE)) {
        Files.setPosixFilePermissions(work, permissions);
      }
      for (Path dir = work.getParent(); dir != null; dir = dir.getParent()) {
        if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
          throw new IllegalStateException(
              "Postfix's daemons cannot reach "
                  + work
                  + " because "
                  + dir
                  + " is not searchable by others; use a work directory under /tmp");
        }
      }
    }
  }

  /**
   * The account virtual(8) writes the Maildir as. Postfix refuses to deliver as root, so it is
   * Postfix's own unprivileged user, which then owns the Maildir base directory.
   */
  private record MailOwner(int uid, int gid) {
    static MailOwner of(Path maildirBase) throws IOException {
      UserPrincipalLookupService lookup =
          maildirBase.getFileSystem().getUserPrincipalLookupService();
      UserPrincipal user = lookup.lookupPrincipalByName(MAIL_OWNER);
      GroupPrincipal group = lookup.lookupPrincipalByGroupName(MAIL_OWNER);
      PosixFileAttributeView view =
          Files.getFileAttributeView(maildirBase, PosixFileAttributeView.class);
      view.setOwner(user);
      view.setGroup(group);
      return new MailOwner(
          (Integer) Files.getAttribute(maildirBase, "unix:uid"),
          (Integer) Files.getAttribute(maildirBase, "unix:gid"));
    }
  }

  private static String mainCf(Layout layout, List<String> domains, MailOwner owner) {
    String outbound = "error:this test instance of Postfix delivers nothing outside";
    return String.join(
        "\n",
        "# A private receiving Postfix for Vireo's interop tests, written by PostfixReceiver.",
        "compatibility_level = 3.6",
        "queue_directory = " + layout.queue(),
        "data_directory = " + layout.data(),
        "meta_directory = /etc/postfix",
        "mail_owner = " + MAIL_OWNER,
        "maillog_file = " + layout.log(),
        "maillog_file_prefixes = " + layout.root(),
        "myhostname = postfix-receiver.test",
        "mydomain = postfix-receiver.test",
        "myorigin = $myhostname",
        // An explicit address in master.cf is bound whatever this says, and 127.0.0.5 is no
        // interface's address; this only keeps Postfix from looking at the machine's others.
        "inet_interfaces = loopback-only",
        "inet_protocols = ipv4",
        "mydestination =",
        "mynetworks = 127.0.0.0/8",
        "relay_domains =",
        // Test clients are in mynetworks, which the default relay rules would let relay:
        // only the test domains are accepted, anything else is "554 5.7.1 Relay access denied".
        "smtpd_relay_restrictions = reject_unauth_destination",
        // Keep messages as sent: loopback clients would otherwise get their headers rewritten and
        // missing Message-ID/Date headers added.
        "local_header_rewrite_clients =",
        "alias_maps =",
        "alias_database =",
        "disable_dns_lookups = yes",
        "smtp_dns_support_level = disabled",
        "smtputf8_enable = yes",
        "local_transport = " + outbound,
        "default_transport = " + outbound,
        "relay_transport = " + outbound,
        "virtual_mailbox_domains = " + String.join(", ", domains),
        "virtual_mailbox_base = " + layout.maildirBase(),
        // One Maildir for all (the trailing slash makes it a Maildir); Delivered-To tells the
        // recipients apart. virtual(8) refuses regexp substitutions into mailbox paths.
        "virtual_mailbox_maps = static:mail/",
        "virtual_uid_maps = static:" + owner.uid(),
        "virtual_gid_maps = static:" + owner.gid(),
        "virtual_minimum_uid = " + owner.uid(),
        "virtual_mailbox_limit = 0",
        "message_size_limit = " + MESSAGE_SIZE_LIMIT,
        // Do not slow senders down when they outpace delivery; tests send in bursts.
        "in_flow_delay = 0",
        "biff = no",
        "");
  }

  /** The services a receiving instance needs; none chrooted, so no copies of system files. */
  private static String masterCf(InetAddress ip, int port) {
    return String.join(
        "\n",
        "# service type  private unpriv  chroot  wakeup  maxproc command",
        ip.getHostAddress() + ":" + port + " inet n - n - - smtpd",
        "pickup    unix  n       -       n       60      1       pickup",
        "cleanup   unix  n       -       n       -       0       cleanup",
        "qmgr      unix  n       -       n       300     1       qmgr",
        "rewrite   unix  -       -       n       -       -       trivial-rewrite",
        "bounce    unix  -       -       n       -       0       bounce",
        "defer     unix  -       -       n       -       0       bounce",
        "trace     unix  -       -       n       -       0       bounce",
        "verify    unix  -       -       n       -       1       verify",
        "flush     unix  n       -       n       1000?   0       flush",
        "proxymap  unix  -       -       n       -       -       proxymap",
        "showq     unix  n       -       n       -       -       showq",
        "error     unix  -       -       n       -       -       error",
        "retry     unix  -       -       n       -       -       error",
        "discard   unix  -       -       n       -       -       discard",
        "virtual   unix  -       n       n       -       -       virtual",
        "anvil     unix  -       -       n       -       1       anvil",
        "scache    unix  -       -       n       -       1       scache",
        "postlog   unix-dgram n  -       n       -       1       postlogd",
        "");
  }
}
