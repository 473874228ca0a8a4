package io.vireo.relay.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.mailbox.testing.ExternalTool;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An independent DKIM verifier for tests: Debian's python3-dkim (dkimpy), run by /usr/bin/python3,
 * with its DNS lookup answered by the test's own key record, so no DNS is involved. Also makes the
 * key pairs and writes their private halves as PEM PKCS#8 files, as operators would give them.
 */
public final class Dkimpy {
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  /**
   * Prints "pass" or "fail", then the DNS name dkimpy asked for. The message and the TXT record
   * come from files, so no byte is changed by an argument list.
   */
  private static final String SCRIPT =
      """
      import sys, dkim
      message = open(sys.argv[1], 'rb').read()
      record = open(sys.argv[2], 'rb').read()
      asked = []
      def txt(name, timeout=5):
          asked.append(name.decode() if isinstance(name, bytes) else name)
          return record
      ok = dkim.verify(message, dnsfunc=txt)
      print('pass' if ok else 'fail', ' '.join(asked))
      """;

  /** A signing key: its PEM file and the TXT record that publishes its public half. */
  public record TestKey(Path pemFile, String txtRecord) {}

  private Dkimpy() {}

  /** Skips (or in CI fails) the calling test when dkimpy is not installed. */
  public static void require() throws IOException, InterruptedException {
    ExternalTool.requireThat(
        Files.isExecutable(PYTHON)
            && run(List.of(PYTHON.toString(), "-c", "import dkim")).isEmpty(),
        "dkimpy not found; install it with: apt-get install python3-dkim");
  }

  /** Verifies {@code message} with dkimpy; returns "pass NAME" or "fail NAME". */
  public static String verify(byte[] message, String txtRecord, Path dir)
      throws IOException, InterruptedException {
    Path messageFile = Files.createTempFile(dir, "message", ".eml");
    Path recordFile = Files.createTempFile(dir, "record", ".txt");
    Path script = Files.createTempFile(dir, "verify", ".py");
    Files.write(messageFile, message);
    Files.writeString(recordFile, txtRecord, StandardCharsets.US_ASCII);
    Files.writeString(script, SCRIPT, StandardCharsets.US_ASCII);
    return run(
        List.of(
            PYTHON.toString(), script.toString(), messageFile.toString(), recordFile.toString()));
  }

  /** Asserts that dkimpy verifies {@code message} and asked for {@code dnsName}. */
  public static void assertVerifies(byte[] message, TestKey key, String dnsName, Path dir)
      throws IOException, InterruptedException {
    assertThat(verify(message, key.txtRecord(), dir))
        .as(new String(message, StandardCharsets.ISO_8859_1))
        .isEqualTo("pass " + dnsName + ".");
  }

  /** A 2048-bit RSA key (RFC 8301 asks for at least 1024, recommends 2048). */
  public static TestKey rsa(Path dir) throws IOException {
    KeyPair pair = generate("RSA", 2048);
    String p = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    return new TestKey(write(dir, "rsa", pair), "v=DKIM1; k=rsa; p=" + p);
  }

  /** RFC 8463 section 4.2: the record holds the raw 32-octet public key, not its SPKI wrapping. */
  public static TestKey ed25519(Path dir) throws IOException {
    KeyPair pair = generate("Ed25519", 0);
    byte[] spki = pair.getPublic().getEncoded();
    byte[] raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    String p = Base64.getEncoder().encodeToString(raw);
    return new TestKey(write(dir, "ed25519", pair), "v=DKIM1; k=ed25519; p=" + p);
  }

  private static KeyPair generate(String algorithm, int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      if (bits > 0) {
        generator.initialize(bits);
      }
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path write(Path dir, String name, KeyPair pair) throws IOException {
    StringWriter pem = new StringWriter();
    pem.write("-----BEGIN PRIVATE KEY-----\n");
    pem.write(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(pair.getPrivate().getEncoded()));
    pem.write("\n-----END PRIVATE KEY-----\n");
    Path file = dir.resolve(name + ".pem");
    Files.writeString(file, pem.toString(), StandardCharsets.US_ASCII);
    return file;
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Path log = Files.createTempFile("dkimpy", ".log");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(command + " did not finish within 60 s");
      }
      String text = Files.readString(log, StandardCharsets.UTF_8).strip();
      return process.exitValue() == 0 ? text : "exit " + process.exitValue() + ": " + text;
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
