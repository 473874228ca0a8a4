package io.vireo.relay.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.relay.testing.PemCertificate;
import io.vireo.relay.testing.PemCertificate.KeyFormat;
import io.vireo.relay.testing.PemCertificate.KeyType;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A renewed certificate is picked up without a restart; a broken renewal is not. */
class TlsServerContextTest {
  @TempDir Path dir;

  @Test
  void renewedFilesAreReadAgainAndABrokenRenewalKeepsTheOldCertificate() throws Exception {
    PemCertificate first = PemCertificate.generate(dir, "one.test", KeyType.EC, KeyFormat.PKCS8);
    PemCertificate second = PemCertificate.generate(dir, "two.test", KeyType.RSA, KeyFormat.TRADITIONAL);
    Path cert = dir.resolve("live-cert.pem");
    Path key = dir.resolve("live-key.pem");
    install(first, cert, key, 1);
    TlsServerContext context = TlsServerContext.load(cert, key);
    assertThat(context.certificate()).isEqualTo(first.certificate());
    assertThat(presented(context, first.trustingClientContext())).isEqualTo(first.certificate());

    install(second, cert, key, 2);
    assertThat(context.certificate()).isEqualTo(second.certificate());
    assertThat(presented(context, second.trustingClientContext())).isEqualTo(second.certificate());

    // Half a renewal: the new certificate without its key. The pair does not match: keep serving.
    Files.copy(first.certFile(), cert, StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(cert, FileTime.from(Instant.now().plusSeconds(3)));
    assertThat(context.certificate()).isEqualTo(second.certificate());
    assertThat(presented(context, second.trustingClientContext())).isEqualTo(second.certificate());

    install(first, cert, key, 4);
    assertThat(context.certificate()).isEqualTo(first.certificate());
  }

  private static void install(PemCertificate pem, Path cert, Path key, int secondsAhead)
      throws Exception {
    Files.copy(pem.certFile(), cert, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(pem.keyFile(), key, StandardCopyOption.REPLACE_EXISTING);
    // A rewrite within the file system's clock tick must still be seen as a change.
    FileTime later = FileTime.from(Instant.now().plusSeconds(secondsAhead));
    Files.setLastModifiedTime(cert, later);
    Files.setLastModifiedTime(key, later);
  }

  /** Runs one handshake over loopback and returns the certificate the client was shown. */
  private static X509Certificate presented(TlsServerContext context, SSLContext client)
      throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> server =
          CompletableFuture.runAsync(
              () -> {
                try (Socket tcp = listener.accept();
                    SSLSocket tls = context.layer(tcp)) {
                  tls.setSoTimeout(5_000);
                  tls.startHandshake();
                  tls.getInputStream().read();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      X509Certificate shown;
      try (SSLSocket socket =
          (SSLSocket)
              client
                  .getSocketFactory()
                  .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
        socket.setSoTimeout(5_000);
        socket.startHandshake();
        shown = (X509Certificate) socket.getSession().getPeerCertificates()[0];
        socket.getOutputStream().write('x');
        socket.getOutputStream().flush();
      }
      // The server's close waits for our close_notify, so close before waiting for it.
      server.get(10, TimeUnit.SECONDS);
      return shown;
    }
  }
}
