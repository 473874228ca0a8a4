package io.vireo.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.mailbox.testing.ExternalTool;
import io.vireo.relay.auth.PasswordHashing.Argon2Cost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;

class PasswordHashingTest {
  /** Cheap enough for tests; the format and the code path are the same as the default's. */
  static final Argon2Cost CHEAP = new Argon2Cost(64, 1, 1);

  private final PasswordHashing hashing = new PasswordHashing();

  @Test
  void argon2idHashesAreSaltedPhcStringsThatVerifyOnlyTheirPassword() {
    byte[] password = PasswordHashing.octets("correct horse");
    String first = hashing.hash(password, CHEAP);
    String second = hashing.hash(password, CHEAP);

    assertThat(first)
        .matches("\\$argon2id\\$v=19\\$m=64,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}")
        .isNotEqualTo(second);
    assertThat(PasswordHashing.verify(first, password)).isTrue();
    assertThat(PasswordHashing.verify(first, PasswordHashing.octets("correct horsE"))).isFalse();
    assertThat(PasswordHashing.verify(first, new byte[0])).isFalse();
    assertThat(PasswordHashing.costOf(first)).isEqualTo(CHEAP);
  }

  @Test
  void theDefaultCostIsOwaspsBaseline() {
    String hash = hashing.hash(PasswordHashing.octets("pw"), PasswordHashing.DEFAULT_COST);
    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(PasswordHashing.verify(hash, PasswordHashing.octets("pw"))).isTrue();
  }

  @Test
  void bcryptHashesFromOtherToolsVerify() {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    String bcrypt = OpenBSDBCrypt.generate("2y", PasswordHashing.octets("s3cret"), salt, 4);

    assertThat(PasswordHashing.isSupported(bcrypt)).isTrue();
    assertThat(PasswordHashing.verify(bcrypt, PasswordHashing.octets("s3cret"))).isTrue();
    assertThat(PasswordHashing.verify(bcrypt, PasswordHashing.octets("s3cre7"))).isFalse();
  }

  @Test
  void plainTextAndUnknownSchemesAreNoHashes() {
    assertThat(PasswordHashing.isSupported("s3cret")).isFalse();
    assertThat(PasswordHashing.isSupported("$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"))
        .isFalse();
    assertThatThrownBy(() -> PasswordHashing.verify("s3cret", new byte[1]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** An independent implementation (argon2-cffi, over the reference C code) agrees both ways. */
  @Test
  void theReferenceImplementationVerifiesOurHashesAndWeVerifyItsHashes() throws Exception {
    Path python = Path.of("/usr/bin/python3");
    ExternalTool.requireThat(
        run(python, "-c", "import argon2").exitCode() == 0,
        "Python argon2-cffi not found; install it with: apt-get install python3-argon2");
    String ours = hashing.hash(PasswordHashing.octets("Grüße, Welt"), CHEAP);
    Result verified =
        run(
            python,
            "-c",
            "import argon2, sys; print(argon2.PasswordHasher().verify(sys.argv[1], sys.argv[2]))",
            ours,
            "Grüße, Welt");
    assertThat(verified.output()).as(verified.output()).isEqualTo("True");

    Result theirs =
        run(
            python,
            "-c",
            "import argon2, sys; print(argon2.PasswordHasher(time_cost=1, memory_cost=64,"
                + " parallelism=1).hash(sys.argv[1]))",
            "Grüße, Welt");
    assertThat(theirs.exitCode()).as(theirs.output()).isZero();
    assertThat(PasswordHashing.verify(theirs.output(), PasswordHashing.octets("Grüße, Welt")))
        .isTrue();
    assertThat(PasswordHashing.verify(theirs.output(), PasswordHashing.octets("Grusse, Welt")))
        .isFalse();
  }

  private record Result(int exitCode, String output) {}

  private static Result run(Path program, String... arguments) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(program.toString());
    command.addAll(List.of(arguments));
    if (!program.toFile().canExecute()) {
      return new Result(127, program + " missing");
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish within 60 s");
    }
    String output =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return new Result(process.exitValue(), output);
  }
}
