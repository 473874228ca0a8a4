package io.vireo.relay.listen;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.relay.listen.ConnectionLimiter.Admission;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ConnectionLimiterTest {
  private static final InetAddress A = InetAddress.ofLiteral("192.0.2.1");
  private static final InetAddress B = InetAddress.ofLiteral("192.0.2.2");

  private static ConnectionLimiter.Permit admitted(Admission admission) {
    assertThat(admission).isInstanceOf(Admission.Admitted.class);
    return ((Admission.Admitted) admission).permit();
  }

  @Test
  void totalLimit() {
    ConnectionLimiter limiter = new ConnectionLimiter(2, 5);
    ConnectionLimiter.Permit first = admitted(limiter.tryAdmit(A));
    admitted(limiter.tryAdmit(B));
    assertThat(limiter.tryAdmit(B)).isEqualTo(new Admission.Refused(ConnectionLimiter.Limit.MAX_CONNECTIONS));
    first.close();
    admitted(limiter.tryAdmit(B));
  }

  @Test
  void perAddressLimitDoesNotUseUpTheTotal() {
    ConnectionLimiter limiter = new ConnectionLimiter(3, 1);
    admitted(limiter.tryAdmit(A));
    assertThat(limiter.tryAdmit(A))
        .isEqualTo(new Admission.Refused(ConnectionLimiter.Limit.MAX_CONNECTIONS_PER_IP));
    admitted(limiter.tryAdmit(B));
    assertThat(limiter.connectionsFrom(A)).isEqualTo(1);
  }

  @Test
  void closingAPermitTwiceReleasesOnce() {
    ConnectionLimiter limiter = new ConnectionLimiter(1, 1);
    ConnectionLimiter.Permit permit = admitted(limiter.tryAdmit(A));
    permit.close();
    permit.close();
    assertThat(limiter.connectionsFrom(A)).isZero();
    admitted(limiter.tryAdmit(A));
    assertThat(limiter.tryAdmit(B)).isEqualTo(new Admission.Refused(ConnectionLimiter.Limit.MAX_CONNECTIONS));
  }

  @Test
  void anIpv6ClientCountsByItsSlash64() {
    ConnectionLimiter limiter = new ConnectionLimiter(10, 1);
    ConnectionLimiter.Permit first =
        admitted(limiter.tryAdmit(InetAddress.ofLiteral("2001:db8::1")));
    assertThat(limiter.tryAdmit(InetAddress.ofLiteral("2001:db8::ffff:2")))
        .isEqualTo(new Admission.Refused(ConnectionLimiter.Limit.MAX_CONNECTIONS_PER_IP));
    admitted(limiter.tryAdmit(InetAddress.ofLiteral("2001:db8:0:1::1")));
    first.close();
    admitted(limiter.tryAdmit(InetAddress.ofLiteral("2001:db8::ffff:2")));
  }
}
