package io.vireo.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away self-signed EC certificate and its unencrypted PKCS#8 key in PEM files, made by the
 * {@code openssl} command line as {@code bench/compare/run.sh} makes its own: the files a relay's
 * {@code tls.cert-file} and {@code tls.key-file} point at. Without openssl the test is skipped,
 * except in CI ({@code CI=true}), where it fails.
 *
 * @param certFile the certificate, PEM
 * @param keyFile the private key, PEM (PKCS#8)
 */
record SelfSignedPem(Path certFile, Path keyFile) {

  static SelfSignedPem generate(Path directory, String dnsName) throws IOException, InterruptedException {
    Path openssl = openssl();
    Path cert = directory.resolve(dnsName + ".crt");
    Path key = directory.resolve(dnsName + ".key");
    Process process =
        new ProcessBuilder(
                List.of(
                    openssl.toString(), "req", "-x509", "-newkey", "ec",
                    "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                    "-subj", "/CN=" + dnsName,
                    "-addext", "subjectAltName=DNS:" + dnsName + ",IP:127.0.0.1",
                    "-keyout", key.toString(), "-out", cert.toString()))
            .redirectErrorStream(true)
            .start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("openssl req did not finish within 60 s");
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("openssl req: %s", output).isZero();
    return new SelfSignedPem(cert, key);
  }

  private static Path openssl() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "openssl");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError("openssl is not installed (the CI image must have it: .ci/run)");
    }
    Assumptions.abort("openssl is not installed; skipped outside CI");
    throw new AssertionError("unreachable");
  }
}
