package io.vireo.relay.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.mailbox.testing.ExternalTool;
import io.vireo.relay.testing.PemCertificate;
import io.vireo.relay.testing.PemCertificate.KeyFormat;
import io.vireo.relay.testing.PemCertificate.KeyType;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading tls.cert-file and tls.key-file in the PEM forms operators have. */
class PemKeyMaterialTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({"RSA, PKCS8", "RSA, TRADITIONAL", "EC, PKCS8", "EC, TRADITIONAL"})
  void readsRsaAndEcKeysInBothFormats(KeyType type, KeyFormat format) throws Exception {
    PemCertificate pem = PemCertificate.generate(dir, "mx.test", type, format);
    String header = Files.readAllLines(pem.keyFile()).getFirst();
    assertThat(header)
        .isEqualTo(
            format == KeyFormat.PKCS8
                ? "-----BEGIN PRIVATE KEY-----"
                : "-----BEGIN " + type + " PRIVATE KEY-----");

    PemKeyMaterial material = PemKeyMaterial.load(pem.certFile(), pem.keyFile());

    assertThat(material.chain()).containsExactly(pem.certificate());
    assertThat(material.key().getAlgorithm()).isEqualTo(type.name());
    assertThat(TlsServerContext.of(material).protocols()).containsExactly("TLSv1.3", "TLSv1.2");
  }

  @Test
  void aChainKeepsItsOrderLeafFirst() throws Exception {
    PemCertificate leaf = PemCertificate.generate(dir, "mx.test", KeyType.EC, KeyFormat.PKCS8);
    PemCertificate other = PemCertificate.generate(dir, "ca.test", KeyType.RSA, KeyFormat.PKCS8);
    Path chain = dir.resolve("chain.pem");
    Files.writeString(chain, Files.readString(leaf.certFile()) + Files.readString(other.certFile()));

    assertThat(PemKeyMaterial.load(chain, leaf.keyFile()).chain())
        .containsExactly(leaf.certificate(), other.certificate());
  }

  @Test
  void aKeyOfAnotherCertificateIsRefusedNamingBothKeys() throws Exception {
    PemCertificate one = PemCertificate.generate(dir, "one.test", KeyType.EC, KeyFormat.PKCS8);
    PemCertificate two = PemCertificate.generate(dir, "two.test", KeyType.EC, KeyFormat.PKCS8);

    assertThatThrownBy(() -> PemKeyMaterial.load(one.certFile(), two.keyFile()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("tls.key-file " + two.keyFile())
        .hasMessageContaining("does not belong to the first certificate in tls.cert-file");
  }

  @Test
  void missingEmptyEncryptedAndSwappedFilesGetClearErrors() throws Exception {
    PemCertificate pem = PemCertificate.generate(dir, "mx.test", KeyType.RSA, KeyFormat.PKCS8);
    Path missing = dir.resolve("missing.pem");
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    Path encrypted = dir.resolve("encrypted.pem");
    PrivateKey key = PemKeyMaterial.load(pem.certFile(), pem.keyFile()).key();
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(
          new JcaMiscPEMGenerator(
              key, new JcePEMEncryptorBuilder("AES-256-CBC")
                  .setProvider(new BouncyCastleProvider()) // an instance, never registered
                  .build("secret".toCharArray())));
    }
    Files.writeString(encrypted, text.toString());

    assertThatThrownBy(() -> PemKeyMaterial.load(missing, pem.keyFile()))
        .hasMessageStartingWith("tls.cert-file " + missing + ": cannot read");
    assertThatThrownBy(() -> PemKeyMaterial.load(empty, pem.keyFile()))
        .hasMessageStartingWith("tls.cert-file " + empty);
    assertThatThrownBy(() -> PemKeyMaterial.load(pem.certFile(), empty))
        .hasMessageStartingWith("tls.key-file " + empty + ": no private key found");
    assertThatThrownBy(() -> PemKeyMaterial.load(pem.certFile(), encrypted))
        .hasMessageStartingWith("tls.key-file " + encrypted + ": the key is encrypted");
    assertThatThrownBy(() -> PemKeyMaterial.load(pem.keyFile(), pem.certFile()))
        .hasMessageStartingWith("tls.cert-file " + pem.keyFile());
  }

  /** Keys as OpenSSL itself writes them, EC PARAMETERS block included. */
  @Test
  void readsKeysWrittenByOpenssl() throws Exception {
    Path openssl = ExternalTool.require("openssl", "openssl");
    Path ecKey = dir.resolve("ec.key");
    Path ecCert = dir.resolve("ec.crt");
    run(openssl, "ecparam", "-name", "prime256v1", "-genkey", "-out", ecKey.toString());
    assertThat(Files.readString(ecKey)).startsWith("-----BEGIN EC PARAMETERS-----");
    run(openssl, "req", "-x509", "-new", "-key", ecKey.toString(), "-out", ecCert.toString(),
        "-days", "2", "-subj", "/CN=mx.test");
    Path rsaKey = dir.resolve("rsa.key");
    Path rsaTraditional = dir.resolve("rsa-traditional.key");
    Path rsaCert = dir.resolve("rsa.crt");
    run(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", rsaKey.toString(),
        "-out", rsaCert.toString(), "-days", "2", "-subj", "/CN=mx.test");
    run(openssl, "rsa", "-in", rsaKey.toString(), "-traditional", "-out",
        rsaTraditional.toString());
    assertThat(Files.readString(rsaTraditional)).startsWith("-----BEGIN RSA PRIVATE KEY-----");

    assertThat(PemKeyMaterial.load(ecCert, ecKey).key().getAlgorithm()).isEqualTo("EC");
    assertThat(PemKeyMaterial.load(rsaCert, rsaKey).key().getAlgorithm()).isEqualTo("RSA");
    assertThat(PemKeyMaterial.load(rsaCert, rsaTraditional).key().getAlgorithm())
        .isEqualTo("RSA");
  }

  private static void run(Path tool, String... arguments) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(tool.toString());
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish within 60 s");
    }
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
  }
}
