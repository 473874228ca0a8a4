package io.vireo.relay.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes as stored in {@code auth.users-file}: Argon2id (RFC 9106) computed by Bouncy
 * Castle, written in the PHC string format the reference {@code argon2} tool and most libraries
 * use, e.g. {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (unpadded base64). bcrypt hashes
 * ({@code $2a$}, {@code $2b$}, {@code $2y$}, as {@code htpasswd -B} writes them) are verified too,
 * so existing user lists can be brought over; new hashes are always Argon2id.
 */
public final class PasswordHashing {
  /** OWASP's Argon2id baseline: 19 MiB of memory, 2 passes, 1 lane. */
  public static final Argon2Cost DEFAULT_COST = new Argon2Cost(19 * 1024, 2, 1);

  private static final int SALT_LENGTH = 16;
  private static final int HASH_LENGTH = 32;
  private static final Pattern ARGON2ID =
      Pattern.compile(
          "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,4}),p=(\\d{1,3})"
              + "\\$([A-Za-z0-9+/]{11,88})\\$([A-Za-z0-9+/]{22,88})");
  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}");
  private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getDecoder();

  /**
   * The cost of one Argon2id computation.
   *
   * @param memoryKib memory in KiB, at least 8 per lane
   * @param iterations passes over the memory
   * @param parallelism lanes
   */
  public record Argon2Cost(int memoryKib, int iterations, int parallelism) {
    public Argon2Cost {
      if (parallelism < 1 || parallelism > 255) {
        throw new IllegalArgumentException("parallelism must be 1..255: " + parallelism);
      }
      if (iterations < 1 || iterations > 1000) {
        throw new IllegalArgumentException("iterations must be 1..1000: " + iterations);
      }
      // The upper bound keeps a hostile users file from making every login take gigabytes.
      if (memoryKib < 8 * parallelism || memoryKib > 1024 * 1024) {
        throw new IllegalArgumentException("memory must be 8*parallelism..1048576 KiB");
      }
    }
  }

  private final SecureRandom random;

  public PasswordHashing(SecureRandom random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  public PasswordHashing() {
    this(new SecureRandom());
  }

  /** A new Argon2id hash of {@code password} with a random salt. */
  public String hash(byte[] password, Argon2Cost cost) {
    byte[] salt = new byte[SALT_LENGTH];
    random.nextBytes(salt);
    byte[] hash = argon2id(password, salt, cost, HASH_LENGTH);
    return "$argon2id$v=19$m="
        + cost.memoryKib()
        + ",t="
        + cost.iterations()
        + ",p="
        + cost.parallelism()
        + "$"
        + ENCODER.encodeToString(salt)
        + "$"
        + ENCODER.encodeToString(hash);
  }

  /** Whether {@code encoded} is a hash this class can verify. */
  public static boolean isSupported(String encoded) {
    return ARGON2ID.matcher(encoded).matches() || BCRYPT.matcher(encoded).matches();
  }

  /**
   * The Argon2id cost written in {@code encoded}, or the default for other hashes; verifying a
   * dummy hash of the same cost makes an unknown user take as long as a known one.
   */
  public static Argon2Cost costOf(String encoded) {
    Matcher m = ARGON2ID.matcher(encoded);
    if (!m.matches()) {
      return DEFAULT_COST;
    }
    return new Argon2Cost(
        Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
  }

  /**
   * Whether {@code password} matches {@code encoded}. The final comparison takes the same time
   * wherever the hashes differ.
   *
   * @throws IllegalArgumentException if {@code encoded} is no supported hash
   */
  public static boolean verify(String encoded, byte[] password) {
    Matcher m = ARGON2ID.matcher(encoded);
    if (m.matches()) {
      Argon2Cost cost =
          new Argon2Cost(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)));
      byte[] salt = DECODER.decode(m.group(4));
      byte[] expected = DECODER.decode(m.group(5));
      byte[] actual = argon2id(password, salt, cost, expected.length);
      boolean equal = MessageDigest.isEqual(expected, actual);
      Arrays.fill(actual, (byte) 0);
      return equal;
    }
    if (BCRYPT.matcher(encoded).matches()) {
      // OpenBSDBCrypt compares in constant time; bcrypt reads at most 72 octets of the password.
      return OpenBSDBCrypt.checkPassword(encoded, password);
    }
    throw new IllegalArgumentException("not an argon2id or bcrypt hash");
  }

  private static byte[] argon2id(byte[] password, byte[] salt, Argon2Cost cost, int length) {
    Argon2Parameters parameters =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(cost.memoryKib())
            .withIterations(cost.iterations())
            .withParallelism(cost.parallelism())
            .withSalt(salt)
            .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(parameters);
    byte[] out = new byte[length];
    generator.generateBytes(password, out);
    return out;
  }

  /** UTF-8 octets of a password typed as text. */
  public static byte[] octets(String password) {
    return password.getBytes(StandardCharsets.UTF_8);
  }
}
