package io.vireo.mailbox.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A private Dovecot for interop tests: {@code dovecot -F -c <dir>/dovecot.conf}, never the system
 * service, with its run files and log under a directory of the test's, serving IMAP (and, when asked,
 * POP3) on free loopback ports from {@code maildir:<mail>/%u/Maildir}.
 *
 * <p>Needs root (Dovecot's processes then drop to its own users) and Debian's dovecot-imapd, plus
 * dovecot-pop3d for POP3. When one is missing, {@link #requireAvailable} and {@code start} skip the
 * calling test, or fail it in CI (CI=true), where .ci/run installs them ({@link ExternalTool}).
 *
 * <p>Its own configuration ({@link #start(Path, Path)}) takes any user name with the password
 * {@link #PASSWORD}. Dovecot reads and writes the Maildirs as the system user {@code mail} (it refuses
 * root): mail written by root must be handed over ({@link #handOver}) before Dovecot serves it.
 */
public final class PrivateDovecot implements AutoCloseable {
  /** Every user's password under Dovecot's own configuration. */
  public static final String PASSWORD = "secret";

  /** The system user (and group) Dovecot's mail processes and its LDA run as. */
  private static final String MAIL_OWNER = "mail";

  /** What it serves; a configuration listens on each protocol's placeholder port. */
  public enum Protocol {
    IMAP("@IMAP_PORT@", '*'),
    POP3("@POP3_PORT@", '+');

    private final String placeholder;
    private final int greeting;

    Protocol(String placeholder, int greeting) {
      this.placeholder = placeholder;
      this.greeting = greeting;
    }
  }

  private static final Path LDA = Path.of("/usr/lib/dovecot/dovecot-lda");
  private static final Duration START_LIMIT = Duration.ofSeconds(60);

  /** IMAP only, the static password, mail as the owner; placeholders as {@code start} fills them in. */
  private static final String OWN_CONFIG =
      """
      base_dir = @DIR@/run
      state_dir = @DIR@/state
      log_path = @DIR@/dovecot.log
      protocols = imap
      listen = 127.0.0.1
      ssl = no
      disable_plaintext_auth = no
      auth_mechanisms = plain
      mail_location = maildir:@MAIL@/%u/Maildir
      mail_uid = @OWNER@
      mail_gid = @OWNER@
      first_valid_uid = 1
      first_valid_gid = 1
      lda_mailbox_autocreate = yes
      default_internal_user = dovecot
      default_internal_group = dovecot
      default_login_user = dovenull
      passdb {
        driver = static
        args = password=@PASSWORD@
      }
      userdb {
        driver = static
        args = uid=@OWNER@ gid=@OWNER@ home=@MAIL@/%u
      }
      service anvil {
        chroot =
      }
      service imap-login {
        chroot =
        inet_listener imap {
          address = 127.0.0.1
          port = @IMAP_PORT@
        }
        inet_listener imaps {
          port = 0
        }
      }
      """;

  private final Path dir;
  private final Path config;
  private final Map<Protocol, Integer> ports;
  private final Process process;

  private PrivateDovecot(Path dir, Path config, Map<Protocol, Integer> ports, Process process) {
    this.dir = dir;
    this.config = config;
    this.ports = ports;
    this.process = process;
  }

  /** Skips (or, in CI, fails) the calling test unless Dovecot can serve {@code protocols} here. */
  public static void requireAvailable(Protocol... protocols) {
    ExternalTool.require("dovecot", "dovecot-imapd");
    ExternalTool.requireThat(Files.isExecutable(LDA), "dovecot-lda missing: apt-get install dovecot-imapd");
    if (List.of(protocols).contains(Protocol.POP3)) {
      ExternalTool.requireThat(Files.exists(Path.of("/usr/lib/dovecot/pop3")),
          "Dovecot's POP3 server not found; apt-get install dovecot-pop3d");
    }
    ExternalTool.requireThat("root".equals(System.getProperty("user.name")),
        "a private Dovecot needs root (its processes drop to the mail and dovecot users)");
  }

  /** Starts Dovecot with its own configuration (IMAP, {@link #PASSWORD}) over {@code mail}. */
  public static PrivateDovecot start(Path dir, Path mail) throws IOException, InterruptedException {
    return start(dir, mail, OWN_CONFIG, Set.of(Protocol.IMAP));
  }

  /**
   * Starts Dovecot from a configuration template; this fills in its {@code @DIR@}, {@code @MAIL@},
   * {@code @IMAP_PORT@}, {@code @POP3_PORT@}, {@code @PASSWORD@} and {@code @OWNER@} (run files go to
   * {@code <dir>/run} and {@code <dir>/state}), then waits until every protocol greets.
   */
  public static PrivateDovecot start(Path dir, Path mail, String template, Set<Protocol> protocols)
      throws IOException, InterruptedException {
    requireAvailable(protocols.toArray(Protocol[]::new));
    Files.createDirectories(dir.resolve("run"));
    Files.createDirectories(dir.resolve("state"));
    Files.createDirectories(mail);
    letEveryoneThrough(dir.toAbsolutePath());
    Map<Protocol, Integer> ports = new EnumMap<>(Protocol.class);
    String text = template
        .replace("@DIR@", dir.toAbsolutePath().toString())
        .replace("@MAIL@", mail.toAbsolutePath().toString())
        .replace("@PASSWORD@", PASSWORD)
        .replace("@OWNER@", MAIL_OWNER);
    for (Protocol protocol : protocols) {
      ports.put(protocol, freePort());
      text = text.replace(protocol.placeholder, Integer.toString(ports.get(protocol)));
    }
    Path config = Files.writeString(dir.resolve("dovecot.conf"), text);
    Process process =
        new ProcessBuilder("dovecot", "-F", "-c", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("dovecot.out").toFile())
            .start();
    PrivateDovecot dovecot = new PrivateDovecot(dir, config, Map.copyOf(ports), process);
    try {
      dovecot.awaitReady(Instant.now().plus(START_LIMIT));
    } catch (IOException | RuntimeException e) {
      dovecot.close();
      throw e;
    }
    return dovecot;
  }

  /**
   * Gives {@code path} (recursively) to the user {@code mail}, whom Dovecot reads it as, and lets
   * everyone through its parent directories (a test's temporary directory is its owner's only).
   */
  public static void handOver(Path path) throws IOException, InterruptedException {
    letEveryoneThrough(path.toAbsolutePath().getParent());
    Process chown =
        new ProcessBuilder("chown", "-R", MAIL_OWNER + ":" + MAIL_OWNER, path.toString())
            .redirectErrorStream(true)
            .start();
    if (!chown.waitFor(60, TimeUnit.SECONDS) || chown.exitValue() != 0) {
      throw new IOException("chown failed: " + new String(chown.getInputStream().readAllBytes()));
    }
  }

  public int imapPort() {
    return ports.get(Protocol.IMAP);
  }

  /** Only when started with {@link Protocol#POP3}. */
  public int pop3Port() {
    return ports.get(Protocol.POP3);
  }

  /** Delivers a message with Dovecot's LDA (as Postfix's local transport would). */
  public void deliver(String user, String folder, byte[] message) throws IOException, InterruptedException {
    Processes.Result result =
        Processes.run(
            List.of(LDA.toString(), "-c", config.toString(), "-d", user, "-f", "sender@example.com", "-m", folder),
            Map.of(), message, dir);
    if (result.exit() != 0) {
      throw new IOException("dovecot-lda failed (" + result.exit() + "): " + result.output() + log());
    }
  }

  /** Dovecot's output and log, for failure messages. */
  public String log() {
    try {
      Path out = dir.resolve("dovecot.out");
      Path log = dir.resolve("dovecot.log");
      return (Files.exists(out) ? Files.readString(out) : "") + (Files.exists(log) ? Files.readString(log) : "");
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Until every port greets and the LDA's userdb socket exists; bounded by {@code deadline}. */
  private void awaitReady(Instant deadline) throws IOException, InterruptedException {
    for (Protocol protocol : ports.keySet()) {
      while (!greets(protocol) || !Files.exists(dir.resolve("run").resolve("auth-userdb"))) {
        if (!process.isAlive() || Instant.now().isAfter(deadline)) {
          throw new IOException(
              "Dovecot did not start serving " + protocol + " on " + ports.get(protocol) + ": " + log());
        }
        Thread.sleep(50); // polling a port that is not open yet; bounded by the deadline
      }
    }
  }

  private boolean greets(Protocol protocol) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), ports.get(protocol))) {
      socket.setSoTimeout(5000);
      return socket.getInputStream().read() == protocol.greeting;
    } catch (IOException notYet) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  /** Adds search (x) permission for others to {@code path} and each directory above it. */
  private static void letEveryoneThrough(Path path) throws IOException {
    for (Path at = path; at != null; at = at.getParent()) {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(at);
      if (permissions.add(PosixFilePermission.OTHERS_EXECUTE)) {
        Files.setPosixFilePermissions(at, permissions);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy(); // SIGTERM: the master stops its children
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
