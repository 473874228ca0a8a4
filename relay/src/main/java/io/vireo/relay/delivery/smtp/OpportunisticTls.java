package io.vireo.relay.delivery.smtp;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS context for {@link TlsPolicy#OPPORTUNISTIC} and {@link TlsPolicy#REQUIRED}: it accepts
 * any server certificate, because those policies only promise encryption against passive observers
 * (RFC 7435 section 1.3); MX host names are not authenticated by DNS, so a verified name would
 * prove little. One shared context, built once on first use, so TLS sessions can be resumed across
 * connections.
 */
final class OpportunisticTls {
  private OpportunisticTls() {}

  static SSLContext context() {
    return Holder.CONTEXT;
  }

  private static final class Holder {
    private static final SSLContext CONTEXT = create();

    private static SSLContext create() {
      try {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new AcceptAnyCertificate()}, null);
        return context;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK offers no TLS implementation", e);
      }
    }
  }

  /** Trusts every chain; see the class comment for why that is the point here. */
  private static final class AcceptAnyCertificate extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
